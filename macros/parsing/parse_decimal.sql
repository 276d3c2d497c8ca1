{#- Money and other exact numbers: 18 digits, 2 after the point. -#}
{% macro parse_decimal(column, scale=2) -%}
    try_cast(trim({{ column }}) as decimal(18, {{ scale }}))
{%- endmacro %}
