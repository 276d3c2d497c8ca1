{#- A rate as a double: `numerator / denominator`, null when the denominator
    is zero (sequences.md: "null when the denominator is zero"). -#}
{% macro sequence_rate(numerator, denominator) -%}
    cast({{ numerator }} as {{ sequence_double_type() }}) / nullif({{ denominator }}, 0)
{%- endmacro %}
