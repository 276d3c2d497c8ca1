{#- Reconciliation: the enrollment-by-step counts add up to every enrollment
    of the fact (all states, SCHEDULED included), per sequence and state.
    Returns the groups that differ.

    The fact's rows are read from int_sequence_enrollments_summarized: the
    view fct_sequence_enrollments passes them through unchanged (its
    passes_rows_through test), and reading the table skips the view's
    dimension joins. -#}
with by_step as (

    select
        sequence_id,
        enrollment_state,
        sum(enrollments) as enrollments
    from {{ ref('sequence_enrollment_by_step') }}
    group by sequence_id, enrollment_state

),

fact as (

    select
        sequence_id,
        enrollment_state,
        count(*) as enrollments
    from {{ ref('int_sequence_enrollments_summarized') }}
    group by sequence_id, enrollment_state

),

final as (

    select
        coalesce(by_step.sequence_id, fact.sequence_id) as sequence_id,
        coalesce(by_step.enrollment_state, fact.enrollment_state) as enrollment_state,
        by_step.enrollments as by_step_enrollments,
        fact.enrollments as fact_enrollments
    from by_step
    full outer join fact
        on
            by_step.sequence_id = fact.sequence_id
            and by_step.enrollment_state = fact.enrollment_state
    where coalesce(by_step.enrollments, -1) != coalesce(fact.enrollments, -1)

)

select * from final
