{#- Enumerated values arrive in any case with surrounding spaces. -#}
{% macro parse_enum(column) -%}
    upper(trim({{ column }}))
{%- endmacro %}
