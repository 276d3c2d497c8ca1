{#- `numerator / denominator` as a double; null when the denominator is zero or
    null. -#}
{% macro campaign_ratio(numerator, denominator) -%}
    cast({{ numerator }} as {{ campaign_double_type() }}) / nullif({{ denominator }}, 0)
{%- endmacro %}
