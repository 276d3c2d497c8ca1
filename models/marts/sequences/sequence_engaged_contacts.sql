{#- One row per started enrollment: the "highly engaged contacts" list of the
    Analyze tab, ranked by clicks, then opens, then emails sent (most first),
    then enrollment_id ascending as text; rank 1 is the most engaged, and the
    rank runs over all started enrollments together. -#}
with enrollments as (

    select * from {{ ref('int_sequence_enrollments_summarized') }}
    where is_started

),

final as (

    select
        enrollment_id,
        contact_id,
        company_id,
        sequence_id,
        sequence_name,
        is_sequence_deleted,
        enrollment_state,
        current_step_order as last_step_order,
        next_step_order,
        emails_sent,
        opens,
        clicks,
        cast(row_number() over (
            order by
                clicks desc,
                opens desc,
                emails_sent desc,
                cast(enrollment_id as {{ dbt.type_string() }}) asc
        ) as {{ dbt.type_bigint() }}) as engagement_rank
    from enrollments

)

select * from final
