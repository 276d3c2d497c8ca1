{% macro parse_date(column) -%}
    try_cast(trim({{ column }}) as date)
{%- endmacro %}
