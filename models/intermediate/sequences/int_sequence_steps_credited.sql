{#- One row per started enrollment × executed step (as
    int_sequence_steps_executed), with whether the enrollment's first reply
    and first meeting were credited to this step. Step performance aggregates
    it; at most one step per enrollment has each credit. -#}
{#- A view: DuckDB inlines it into the two step marts that read it, so the
    warehouse writes no second copy of the executions; the credits are one
    small hash join (int_sequence_step_credits). One row per execution is checked by
    tests/intermediate/sequences/assert_sequence_credited_views_keep_their_grain.sql. -#}
{{ config(materialized='view') }}

with executions as (

    select * from {{ ref('int_sequence_steps_executed') }}

),

credits as (

    select * from {{ ref('int_sequence_step_credits') }}

),

final as (

    select
        executions.enrollment_id,
        executions.step_id,
        executions.step_order,
        executions.execution_number,
        executions.emails_sent,
        executions.opens,
        executions.clicks,
        executions.is_opened,
        executions.is_clicked,
        executions.has_task,
        executions.is_task_completed,
        coalesce(credits.is_reply_credited, false) as is_reply_credited,
        coalesce(credits.is_meeting_credited, false) as is_meeting_credited,
        executions.is_last_executed,
        executions.executed_at,
        executions.next_executed_at,
        credits.first_reply_at,
        credits.first_meeting_at
    from executions
    left join credits
        on
            executions.enrollment_id = credits.enrollment_id
            and executions.step_id = credits.step_id

)

select * from final
