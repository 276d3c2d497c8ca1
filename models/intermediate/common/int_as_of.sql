{#- The as-of instant that closes every open interval (sequences.md, "Precise
    rules"): var('as_of') when set, else the latest instant in the raw event
    tables. One row; models cross-join it. -#}
{#- Kept in the file, never in the build's scratch database: the published build record
    (audit.build_info) and the dashboard read it. -#}
{{ config(
    database=target.get('database'),
) }}
with latest_instants as (
    {%- for table_name, column_name in [
        ('sequence_emails', 'sent_at'),
        ('email_events', 'occurred_at'),
        ('inbound_emails', 'received_at'),
        ('tasks', 'created_at'),
        ('meetings', 'booked_at'),
        ('sequence_enrollments', 'updated_at'),
        ('deals', 'created_at'),
        ('deals', 'closed_at'),
        ('web_sessions', 'started_at'),
        ('pageviews', 'viewed_at'),
        ('form_submissions', 'submitted_at'),
        ('marketing_email_events', 'occurred_at'),
        ('asset_clicks', 'clicked_at'),
    ] %}

    select max({{ column_name }}) as latest_at
    from {{ ref('stg_hubspot__' ~ table_name) }}
    {{ "union all" if not loop.last }}
    {%- endfor %}

),

final as (

    select
        {%- if var('as_of') is not none %}
        max({{ parse_timestamp("'" ~ var('as_of') ~ "'") }}) as as_of,
        {%- else %}
        max(latest_at) as as_of,
        {%- endif %}
        {{ var('as_of') is not none }} as is_as_of_from_var
    from latest_instants

)

select * from final
