{#- Reconciliation: the enrollment fact has exactly the usable staged
    enrollments — every staged enrollment except the orphans listed in
    audit_rejected_rows (the rows staged_rows keeps). Returns the enrollments
    missing from either side.

    The fact's rows are read from int_sequence_enrollments_summarized: the
    view fct_sequence_enrollments passes them through unchanged (its
    passes_rows_through test), and reading the table skips the view's
    dimension joins. -#}
with staged as (

    select enrollment_id from {{ staged_rows('sequence_enrollments') }} as staged_enrollments

),

fact as (

    select enrollment_id from {{ ref('int_sequence_enrollments_summarized') }}

),

final as (

    select
        coalesce(staged.enrollment_id, fact.enrollment_id) as enrollment_id,
        case
            when fact.enrollment_id is null then 'usable staged enrollment missing from the fact'
            else 'fact row that is not a usable staged enrollment'
        end as problem
    from staged
    full outer join fact
        on staged.enrollment_id = fact.enrollment_id
    where staged.enrollment_id is null or fact.enrollment_id is null

)

select * from final
