{#- A UTC `timestamp` as wall-clock time in `var('reporting_timezone')` (a
    `timestamp` without zone), for grouping by local day, week, month, weekday
    or hour. UTC (the default) returns the column unchanged. Engines differ in
    how they convert zones, hence the dispatch. -#}
{% macro sequence_local_timestamp(column) -%}
    {{ return(adapter.dispatch('sequence_local_timestamp', 'gtm_analytics')(column)) }}
{%- endmacro %}

{% macro default__sequence_local_timestamp(column) -%}
    {%- set timezone_name = var('reporting_timezone', 'UTC') -%}
    {%- if timezone_name | upper in ['UTC', 'ETC/UTC', 'Z'] -%}
        {{ column }}
    {%- else -%}
        cast(
            ({{ column }} at time zone 'UTC') at time zone '{{ timezone_name }}'
            as timestamp
        )
    {%- endif -%}
{%- endmacro %}

{% macro spark__sequence_local_timestamp(column) -%}
    {%- set timezone_name = var('reporting_timezone', 'UTC') -%}
    {%- if timezone_name | upper in ['UTC', 'ETC/UTC', 'Z'] -%}
        {{ column }}
    {%- else -%}
        from_utc_timestamp({{ column }}, '{{ timezone_name }}')
    {%- endif -%}
{%- endmacro %}
