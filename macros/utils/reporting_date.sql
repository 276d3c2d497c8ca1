{#- The calendar date of a UTC `timestamp` in `var('reporting_timezone')`: the
    day bucket of the daily and monthly marts. -#}
{% macro reporting_date(column) -%}
    cast({{ reporting_timestamp(column) }} as date)
{%- endmacro %}
