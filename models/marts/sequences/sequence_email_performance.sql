{#- One row per sequence × template, by the email's own template_id (a step
    may have changed template since): over the emails sent with it, how many
    were opened, clicked, replied to and led to a meeting (the enrollment's
    first reply / meeting credited to the email's step), with rates over
    sends (sequences.md, "Email (template) performance"). Emails without a
    template form their own row (template_id null). -#}
{%- set figures = [
    ('opened', 'is_opened'),
    ('clicked', 'is_clicked'),
    ('replied', 'is_reply_credited'),
    ('meetings', 'is_meeting_credited'),
] %}

with emails as (

    select * from {{ ref('int_sequence_emails_credited') }}

),

sequences as (

    select * from {{ ref('int_sequences_prepared') }}

),

dim_sequences as (

    select * from {{ ref('dim_sequences') }}

),

dim_email_templates as (

    select * from {{ ref('dim_email_templates') }}

),

emails_aggregated as (

    select
        sequence_id,
        template_id,
        count(*) as sends,
        {%- for figure, flag in figures %}
        count(*) filter (where {{ flag }}) as {{ figure }},
        {%- endfor %}
        min(sent_at) as first_sent_at,
        max(sent_at) as last_sent_at
    from emails
    group by sequence_id, template_id

),

final as (

    select
        emails_aggregated.sequence_id,
        dim_sequences.sequence_name,
        -- A deleted sequence's emails stay, flagged (sequences.md).
        coalesce(sequences.is_deleted, false) as is_sequence_deleted,
        emails_aggregated.template_id,
        dim_email_templates.template_name,
        emails_aggregated.sends,
        {%- for figure, flag in figures %}
        emails_aggregated.{{ figure }},
        {%- endfor %}
        {%- for figure, flag in figures %}
        {{ safe_ratio('emails_aggregated.' ~ figure, 'emails_aggregated.sends') }}
            as {{ figure }}_rate,
        {%- endfor %}
        emails_aggregated.first_sent_at,
        emails_aggregated.last_sent_at
    from emails_aggregated
    left join sequences
        on emails_aggregated.sequence_id = sequences.sequence_id
    left join dim_sequences
        on emails_aggregated.sequence_id = dim_sequences.sequence_id
    left join dim_email_templates
        on emails_aggregated.template_id = dim_email_templates.template_id

)

select * from final
