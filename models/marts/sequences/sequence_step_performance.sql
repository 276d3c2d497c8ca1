{#- One row per sequence step (deleted steps included, so a report can hide
    steps no longer in use): counts of enrollments over the step's
    executions, and rates over executed (sequences.md, "Step performance"). -#}
{%- set figures = [
    ('opened', 'is_opened'),
    ('clicked', 'is_clicked'),
    ('replied', 'is_reply_credited'),
    ('meetings', 'is_meeting_credited'),
    ('tasks_completed', 'is_task_completed'),
] %}

with steps as (

    select * from {{ ref('int_sequence_steps_prepared') }}

),

executions as (

    select * from {{ ref('int_sequence_steps_credited') }}

),

dim_sequences as (

    select * from {{ ref('dim_sequences') }}

),

dim_email_templates as (

    select * from {{ ref('dim_email_templates') }}

),

executions_aggregated as (

    select
        step_id,
        count(*) as executed,
        {%- for figure, flag in figures %}
        count(*) filter (where {{ flag }}) as {{ figure }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from executions
    group by step_id

),

final as (

    select
        steps.step_id,
        steps.sequence_id,
        dim_sequences.sequence_name,
        steps.template_id,
        dim_email_templates.template_name,
        steps.step_order,
        steps.action_type,
        coalesce(executions_aggregated.executed, 0) as executed,
        {%- for figure, flag in figures %}
        coalesce(executions_aggregated.{{ figure }}, 0) as {{ figure }},
        {%- endfor %}
        {%- for figure, flag in figures %}
        {{ safe_ratio(
            'executions_aggregated.' ~ figure,
            'executions_aggregated.executed'
        ) }} as {{ figure }}_rate,
        {%- endfor %}
        steps.is_deleted,
        steps.is_sequence_deleted
    from steps
    left join executions_aggregated
        on steps.step_id = executions_aggregated.step_id
    left join dim_sequences
        on steps.sequence_id = dim_sequences.sequence_id
    left join dim_email_templates
        on steps.template_id = dim_email_templates.template_id

)

select * from final
