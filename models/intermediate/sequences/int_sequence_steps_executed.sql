{#- One row per started enrollment × step it executed (sequences.md, "Precise
    rules"): a step executed at the earliest of its email's sent_at and its
    task's created_at, whatever the task's status; nothing after as_of counts.
    Carries the step's own email engagement and task completion, and orders
    the executions in time so that a reply or meeting can be placed at a step
    (the step executed last at or before its instant).

    Built for 10 M-row inputs: the emails and the started tasks are stacked
    into one narrow relation and aggregated once per enrollment × step (no
    full outer join of two aggregates); the window that orders the executions
    carries only numbers and instants besides its keys; and the table holds
    only what its readers use (a step's sequence, template and the like are
    one join away, in int_sequence_steps_prepared). -#}
with emails as (

    select * from {{ ref('int_sequence_emails_engaged') }}

),

tasks as (

    select * from {{ staged_rows('tasks') }} as tasks

),

enrollments as (

    select * from {{ ref('int_sequence_enrollments_windowed') }}

),

steps as (

    select * from {{ ref('int_sequence_steps_prepared') }}

),

started_tasks as (

    select
        tasks.enrollment_id,
        tasks.step_id,
        tasks.created_at,
        tasks.status = 'COMPLETED'
        and (
            tasks.completed_at is null or tasks.completed_at <= enrollments.as_of
        ) as is_completed
    from tasks
    inner join enrollments
        on tasks.enrollment_id = enrollments.enrollment_id
    where
        enrollments.is_started
        and tasks.created_at <= enrollments.as_of

),

-- one row per email sent or task created: what a step did for an enrollment.
-- acted_at is the email's sent_at or the task's created_at (a row is one or
-- the other), so a step's execution instant is one min(); task_state is 0 for
-- an email, 1 for a task, 2 for a completed task, so one max() says whether
-- the step has a task and whether one was completed
step_actions as (

    select
        enrollment_id,
        step_id,
        sent_at,
        sent_at as acted_at,
        opens,
        clicks,
        0 as task_state
    from emails

    union all

    select
        enrollment_id,
        step_id,
        cast(null as timestamp) as sent_at,
        created_at as acted_at,
        0 as opens,
        0 as clicks,
        case when is_completed then 2 else 1 end as task_state
    from started_tasks

),

-- as few aggregates as the figures need (each costs per row and per group
-- over 8.6 M groups): an email is opened exactly when it has a non-bot open
-- (int_sequence_emails_engaged), so a step's email was opened exactly when
-- its opens add up to more than 0; likewise clicks
executions as (

    select
        enrollment_id,
        step_id,
        count(sent_at) as emails_sent,
        cast(sum(opens) as {{ dbt.type_bigint() }}) as opens,
        cast(sum(clicks) as {{ dbt.type_bigint() }}) as clicks,
        max(task_state) as task_state,
        min(acted_at) as executed_at
    from step_actions
    group by enrollment_id, step_id

),

timed as (

    select
        executions.enrollment_id,
        executions.step_id,
        steps.step_order,
        executions.emails_sent,
        executions.opens,
        executions.clicks,
        executions.opens > 0 as is_opened,
        executions.clicks > 0 as is_clicked,
        executions.task_state >= 1 as has_task,
        executions.task_state = 2 as is_task_completed,
        executions.executed_at
    from executions
    inner join steps
        on executions.step_id = steps.step_id

),

ordered as (

    select
        enrollment_id,
        step_id,
        step_order,
        cast(row_number() over (
            partition by enrollment_id
            order by executed_at, step_order, step_id
        ) as {{ dbt.type_bigint() }}) as execution_number,
        emails_sent,
        opens,
        clicks,
        is_opened,
        is_clicked,
        has_task,
        is_task_completed,
        executed_at,
        lead(executed_at) over (
            partition by enrollment_id
            order by executed_at, step_order, step_id
        ) as next_executed_at
    from timed

),

final as (

    select
        enrollment_id,
        step_id,
        step_order,
        execution_number,
        emails_sent,
        opens,
        clicks,
        is_opened,
        is_clicked,
        has_task,
        is_task_completed,
        next_executed_at is null as is_last_executed,
        executed_at,
        next_executed_at
    from ordered

)

select * from final
