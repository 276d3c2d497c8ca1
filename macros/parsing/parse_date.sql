{#- Raw YYYY-MM-DD text to a date; null when it does not parse. -#}
{% macro parse_date(column) -%}
    {{ return(adapter.dispatch('parse_date', 'gtm_analytics')(column)) }}
{%- endmacro %}

{% macro default__parse_date(column) -%}
    try_cast(trim({{ column }}) as date)
{%- endmacro %}

{% macro postgres__parse_date(column) -%}
    {{ target.schema }}.gtm_try_date(trim({{ column }}))
{%- endmacro %}
