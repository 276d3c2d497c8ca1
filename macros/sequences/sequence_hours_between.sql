{#- Fractional hours from `start_column` to `end_column` (negative when the end
    comes first), to the millisecond, through dbt's portable `datediff`. -#}
{% macro sequence_hours_between(start_column, end_column) -%}
    {%- set milliseconds = dbt.datediff(start_column, end_column, 'millisecond') -%}
    (cast({{ milliseconds }} as {{ type_double() }}) / 3600000.0)
{%- endmacro %}
