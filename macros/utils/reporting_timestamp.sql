{#- A UTC `timestamp` as wall-clock time in `var('reporting_timezone')` (a
    timestamp without zone), for local days, weeks, months, weekdays and hours.
    UTC (the default) returns the column unchanged. Engines convert zones
    differently, hence the dispatch. -#}
{% macro reporting_timestamp(column) -%}
    {{ return(adapter.dispatch('reporting_timestamp', 'gtm_analytics')(column)) }}
{%- endmacro %}

{% macro default__reporting_timestamp(column) -%}
    {%- set timezone_name = var('reporting_timezone', 'UTC') -%}
    {%- if timezone_name | upper in ['UTC', 'ETC/UTC', 'Z', 'GMT'] -%}
        {{ column }}
    {%- else -%}
        cast(
            ({{ column }} at time zone 'UTC') at time zone '{{ timezone_name }}'
            as timestamp
        )
    {%- endif -%}
{%- endmacro %}

{% macro spark__reporting_timestamp(column) -%}
    {%- set timezone_name = var('reporting_timezone', 'UTC') -%}
    {%- if timezone_name | upper in ['UTC', 'ETC/UTC', 'Z', 'GMT'] -%}
        {{ column }}
    {%- else -%}
        from_utc_timestamp({{ column }}, '{{ timezone_name }}')
    {%- endif -%}
{%- endmacro %}
