{#- Money and other exact numbers: 18 digits, 2 after the point. -#}
{% macro parse_decimal(column, scale=2) -%}
    {{ return(adapter.dispatch('parse_decimal', 'gtm_analytics')(column, scale)) }}
{%- endmacro %}

{% macro default__parse_decimal(column, scale) -%}
    try_cast(trim({{ column }}) as decimal(18, {{ scale }}))
{%- endmacro %}

{% macro postgres__parse_decimal(column, scale) -%}
    cast(
        {{ target.schema }}.gtm_try_decimal(trim({{ column }}), 18, {{ scale }})
        as decimal(18, {{ scale }})
    )
{%- endmacro %}
