{#- The calendar date of a UTC `timestamp` in `var('reporting_timezone')`, for
    the daily and monthly campaign marts. UTC (the default) needs no
    conversion. Engines convert zones differently, hence the dispatch. -#}
{% macro campaign_reporting_date(column) -%}
    {{ return(adapter.dispatch('campaign_reporting_date', 'gtm_analytics')(column)) }}
{%- endmacro %}

{% macro default__campaign_reporting_date(column) -%}
    {%- set timezone_name = var('reporting_timezone', 'UTC') -%}
    {%- if timezone_name | upper in ['UTC', 'ETC/UTC', 'Z', 'GMT'] -%}
        cast({{ column }} as date)
    {%- else -%}
        cast((({{ column }}) at time zone 'UTC') at time zone '{{ timezone_name }}' as date)
    {%- endif -%}
{%- endmacro %}

{% macro spark__campaign_reporting_date(column) -%}
    {%- set timezone_name = var('reporting_timezone', 'UTC') -%}
    to_date(from_utc_timestamp({{ column }}, '{{ timezone_name }}'))
{%- endmacro %}
