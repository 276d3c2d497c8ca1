{#- One row per started enrollment × step it executed (sequences.md, "Precise
    rules"): a step executed at the earliest of its email's sent_at and its
    task's created_at, whatever the task's status; nothing after as_of counts.
    Carries the step's own email engagement and task completion, and orders
    the executions in time so that a reply or meeting can be placed at a step
    (the step executed last at or before its instant). -#}
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

email_steps as (

    select
        enrollment_id,
        step_id,
        count(*) as emails_sent,
        cast(sum(opens) as {{ dbt.type_bigint() }}) as opens,
        cast(sum(clicks) as {{ dbt.type_bigint() }}) as clicks,
        count(*) filter (where is_opened) > 0 as is_opened,
        count(*) filter (where is_clicked) > 0 as is_clicked,
        min(sent_at) as first_email_sent_at
    from emails
    group by enrollment_id, step_id

),

started_tasks as (

    select
        tasks.enrollment_id,
        tasks.step_id,
        tasks.status = 'COMPLETED'
        and (
            tasks.completed_at is null or tasks.completed_at <= enrollments.as_of
        ) as is_completed,
        tasks.created_at
    from tasks
    inner join enrollments
        on tasks.enrollment_id = enrollments.enrollment_id
    where
        enrollments.is_started
        and tasks.created_at <= enrollments.as_of

),

task_steps as (

    select
        enrollment_id,
        step_id,
        count(*) filter (where is_completed) > 0 as is_task_completed,
        min(created_at) as first_task_created_at
    from started_tasks
    group by enrollment_id, step_id

),

executions as (

    select
        coalesce(email_steps.enrollment_id, task_steps.enrollment_id) as enrollment_id,
        coalesce(email_steps.step_id, task_steps.step_id) as step_id,
        coalesce(email_steps.emails_sent, 0) as emails_sent,
        coalesce(email_steps.opens, 0) as opens,
        coalesce(email_steps.clicks, 0) as clicks,
        coalesce(email_steps.is_opened, false) as is_opened,
        coalesce(email_steps.is_clicked, false) as is_clicked,
        coalesce(task_steps.is_task_completed, false) as is_task_completed,
        task_steps.first_task_created_at is not null as has_task,
        email_steps.first_email_sent_at,
        task_steps.first_task_created_at,
        case
            when email_steps.first_email_sent_at is null then task_steps.first_task_created_at
            when task_steps.first_task_created_at is null then email_steps.first_email_sent_at
            when email_steps.first_email_sent_at <= task_steps.first_task_created_at
                then email_steps.first_email_sent_at
            else task_steps.first_task_created_at
        end as executed_at
    from email_steps
    full outer join task_steps
        on
            email_steps.enrollment_id = task_steps.enrollment_id
            and email_steps.step_id = task_steps.step_id

),

ordered as (

    select
        executions.enrollment_id,
        executions.step_id,
        steps.sequence_id,
        steps.template_id,
        steps.step_order,
        executions.emails_sent,
        executions.opens,
        executions.clicks,
        cast(row_number() over (
            partition by executions.enrollment_id
            order by executions.executed_at, steps.step_order, executions.step_id
        ) as {{ dbt.type_bigint() }}) as execution_number,
        executions.is_opened,
        executions.is_clicked,
        executions.has_task,
        executions.is_task_completed,
        executions.executed_at,
        lead(executions.executed_at) over (
            partition by executions.enrollment_id
            order by executions.executed_at, steps.step_order, executions.step_id
        ) as next_executed_at,
        executions.first_email_sent_at,
        executions.first_task_created_at
    from executions
    inner join steps
        on executions.step_id = steps.step_id

),

final as (

    select
        enrollment_id,
        step_id,
        sequence_id,
        template_id,
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
        next_executed_at,
        first_email_sent_at,
        first_task_created_at
    from ordered

)

select * from final
