{#- Reconciliation: a step's `executed` (enrollments that ran it) is never
    above its sequence's total enrollments, and every step figure is at most
    `executed`. Returns the offending steps. -#}
with steps as (

    select * from {{ ref('sequence_step_performance') }}

),

sequences as (

    select * from {{ ref('sequence_performance') }}

),

final as (

    select
        steps.step_id,
        steps.sequence_id,
        steps.executed,
        sequences.total_enrollments
    from steps
    left join sequences
        on steps.sequence_id = sequences.sequence_id
    where
        steps.executed > coalesce(sequences.total_enrollments, 0)
        or steps.opened > steps.executed
        or steps.clicked > steps.executed
        or steps.replied > steps.executed
        or steps.meetings > steps.executed
        or steps.tasks_completed > steps.executed

)

select * from final
