{#- One row per sequence × current step × state, with the count of
    enrollments: every enrollment, SCHEDULED included (sequences.md,
    "Enrollment by step"). current_step_order is null before the first step;
    current_step_label shows it as 'not started'. -#}
with enrollments as (

    select * from {{ ref('int_sequence_enrollments_summarized') }}

),

dim_sequences as (

    select * from {{ ref('dim_sequences') }}

),

step_counts as (

    select
        sequence_id,
        -- A deleted sequence's enrollments stay, flagged (sequences.md).
        is_sequence_deleted,
        current_step_order,
        enrollment_state,
        case
            when current_step_order is null then 'not started'
            else {{ dbt.concat([
                "'Step '", "cast(current_step_order as " ~ dbt.type_string() ~ ")"
            ]) }}
        end as current_step_label,
        count(*) as enrollments
    from enrollments
    group by sequence_id, is_sequence_deleted, current_step_order, enrollment_state

),

final as (

    select
        step_counts.sequence_id,
        dim_sequences.sequence_name,
        step_counts.is_sequence_deleted,
        step_counts.current_step_order,
        step_counts.enrollment_state,
        step_counts.current_step_label,
        step_counts.enrollments
    from step_counts
    left join dim_sequences
        on step_counts.sequence_id = dim_sequences.sequence_id

)

select * from final
