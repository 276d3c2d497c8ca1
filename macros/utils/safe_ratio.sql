{#- `numerator / denominator` as a double, null when the denominator is zero
    or null: every rate and share of the marts ("null when the denominator is
    zero"). -#}
{% macro safe_ratio(numerator, denominator) -%}
    cast({{ numerator }} as {{ type_double() }}) / nullif({{ denominator }}, 0)
{%- endmacro %}
