{#- Raw ISO-8601 text (with `Z`, an offset, or none meaning UTC) to a UTC
    `timestamp`; null when it does not parse. The session time zone is pinned
    to UTC in profiles.yml, so a value without an offset is read as UTC.
    PostgreSQL has no try_cast: it calls the safe-cast function that
    create_parsing_functions (an on-run-start hook) defines. -#}
{% macro parse_timestamp(column) -%}
    {{ return(adapter.dispatch('parse_timestamp', 'gtm_analytics')(column)) }}
{%- endmacro %}

{% macro default__parse_timestamp(column) -%}
    cast(
        timezone('UTC', try_cast(trim({{ column }}) as timestamp with time zone))
        as timestamp
    )
{%- endmacro %}

{% macro postgres__parse_timestamp(column) -%}
    {{ target.schema }}.gtm_try_timestamp(trim({{ column }}))
{%- endmacro %}

{#- Spark's `timestamp` is an instant shown in the session time zone, which the
    profile pins to UTC (spark.sql.session.timeZone). -#}
{% macro spark__parse_timestamp(column) -%}
    try_cast(trim({{ column }}) as timestamp)
{%- endmacro %}
