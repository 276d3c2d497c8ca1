{#- Freshness of the raw event tables relative to as_of: warns (never fails the
    build) when a table's latest instant is more than its threshold in days
    before as_of - the feed stopped, or its export is late - or when it has no
    rows at all. One row per such table, with the note `gtm build` prints.
    Thresholds: the defaults below, overridden per table by
    var('raw_freshness_warn_after_days') (a mapping raw table -> days; null
    turns a table's check off). With the default as_of (the latest raw event)
    the freshest table is never stale: this catches one feed lagging the
    others, and with as_of set, data older than the day asked for. -#}
{{ config(severity='warn', store_failures=true) }}
{%- set event_columns = {
    'sequence_emails': 'sent_at',
    'email_events': 'occurred_at',
    'inbound_emails': 'received_at',
    'tasks': 'created_at',
    'meetings': 'booked_at',
    'web_sessions': 'started_at',
    'pageviews': 'viewed_at',
    'form_submissions': 'submitted_at',
    'asset_clicks': 'clicked_at',
    'marketing_email_events': 'occurred_at',
} -%}
{%- set warn_after_days = {
    'sequence_emails': 3,
    'email_events': 3,
    'inbound_emails': 3,
    'tasks': 3,
    'meetings': 7,
    'web_sessions': 3,
    'pageviews': 3,
    'form_submissions': 7,
    'asset_clicks': 7,
    'marketing_email_events': 90,
} -%}
{%- do warn_after_days.update(var('raw_freshness_warn_after_days', {}) or {}) -%}
{%- set checked = [] -%}
{%- for table_name, column_name in event_columns.items()
    if warn_after_days.get(table_name) is not none -%}
{%- do checked.append((table_name, column_name, warn_after_days[table_name] | int)) -%}
{%- endfor %}

with as_of as (

    select * from {{ ref('int_as_of') }}

),

latest as (
    {%- for table_name, column_name, days in checked %}

    select
        '{{ table_name }}' as table_name,
        '{{ column_name }}' as column_name,
        {{ days }} as warn_after_days,
        max({{ column_name }}) as latest_at
    from {{ ref('stg_hubspot__' ~ table_name) }}
    {{ "union all" if not loop.last }}
    {%- endfor %}
    {%- if checked | length == 0 %}

    select
        cast(null as {{ dbt.type_string() }}) as table_name,
        cast(null as {{ dbt.type_string() }}) as column_name,
        cast(null as {{ dbt.type_int() }}) as warn_after_days,
        cast(null as {{ dbt.type_timestamp() }}) as latest_at
    where 1 = 0
    {%- endif %}

),

final as (

    select
        latest.table_name,
        latest.column_name,
        latest.warn_after_days,
        latest.latest_at,
        as_of.as_of,
        case
            when latest.latest_at is null
                then {{ dbt.concat([
                    "'raw table '", "latest.table_name", "': no rows'",
                    "' (rule ''latest event within '",
                    "cast(latest.warn_after_days as " ~ dbt.type_string() ~ ")",
                    "' days of as_of'')'",
                ]) }}
            else {{ dbt.concat([
                "'raw table '", "latest.table_name", "': latest '", "latest.column_name",
                "' is '", "cast(latest.latest_at as " ~ dbt.type_string() ~ ")",
                "', more than '",
                "cast(latest.warn_after_days as " ~ dbt.type_string() ~ ")",
                "' days before as_of '", "cast(as_of.as_of as " ~ dbt.type_string() ~ ")",
                "' (rule ''latest event within '",
                "cast(latest.warn_after_days as " ~ dbt.type_string() ~ ")",
                "' days of as_of'')'",
            ]) }}
        end as note
    from latest
    cross join as_of
    where
        latest.latest_at is null
        or latest.latest_at < {{ dbt.dateadd('day', '-latest.warn_after_days', 'as_of.as_of') }}

)

select * from final
