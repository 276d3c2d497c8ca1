{% macro parse_integer(column) -%}
    try_cast(trim({{ column }}) as integer)
{%- endmacro %}
