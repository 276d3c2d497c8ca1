{#- Joins text columns with a separator, skipping the trailing nulls: the
    columns are filled in order (a null is never followed by a value), as the
    first few examples of a list are. Null when the first is null. Each
    branch concatenates non-null parts only, so the text is the same on every
    engine, whatever its concat does with a null. -#}
{% macro join_present(columns, separator) -%}
    case
    {%- for count in range(columns | length, 1, -1) %}
        {%- set parts = [] %}
        {%- for column in columns[:count] %}
            {%- if not loop.first %}{% do parts.append(separator) %}{% endif %}
            {%- do parts.append(column) %}
        {%- endfor %}
        when {{ columns[count - 1] }} is not null then {{ dbt.concat(parts) }}
    {%- endfor %}
        else {{ columns[0] }}
    end
{%- endmacro %}
