{#- Raw text to integer; null when it does not parse. -#}
{% macro parse_integer(column) -%}
    {{ return(adapter.dispatch('parse_integer', 'gtm_analytics')(column)) }}
{%- endmacro %}

{% macro default__parse_integer(column) -%}
    try_cast(trim({{ column }}) as integer)
{%- endmacro %}

{% macro postgres__parse_integer(column) -%}
    {{ target.schema }}.gtm_try_integer(trim({{ column }}))
{%- endmacro %}
