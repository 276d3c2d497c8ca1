{#- One row per started enrollment × executed step (as
    int_sequence_steps_executed), with whether the enrollment's first reply
    and first meeting were credited to this step. Step performance aggregates
    it; at most one step per enrollment has each credit. -#}
{#- A view: DuckDB inlines it into the two step marts that read it, so the
    warehouse writes no second copy of the executions; the credits are two
    small hash joins. One row per execution is checked by
    tests/intermediate/sequences/assert_sequence_credited_views_keep_their_grain.sql. -#}
{{ config(materialized='view') }}

with executions as (

    select * from {{ ref('int_sequence_steps_executed') }}

),

replies as (

    select * from {{ ref('int_sequence_replies_credited') }}

),

meetings as (

    select * from {{ ref('int_sequence_meetings_credited') }}

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
        replies.enrollment_id is not null as is_reply_credited,
        meetings.enrollment_id is not null as is_meeting_credited,
        executions.is_last_executed,
        executions.executed_at,
        executions.next_executed_at,
        replies.first_reply_at,
        meetings.first_meeting_at
    from executions
    left join replies
        on
            executions.enrollment_id = replies.enrollment_id
            and executions.step_id = replies.credited_step_id
    left join meetings
        on
            executions.enrollment_id = meetings.enrollment_id
            and executions.step_id = meetings.credited_step_id

)

select * from final
