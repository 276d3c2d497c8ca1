{#- A sum of floating-point values that is the same on every run: each value is
    rounded to a fixed-point decimal (18 digits after the point) and the
    decimals are added exactly, so the order in which a parallel engine adds the
    rows cannot change the last bit of the result (plain `sum` of doubles can).
    Returns a double. `filter` is an optional aggregate condition, `over` an
    optional window. Values must stay below 10^20 in magnitude. -#}
{% macro exact_sum(expression, filter=none, over=none) -%}
    cast(
        sum(cast({{ expression }} as decimal(38, 18)))
        {%- if filter %} filter (where {{ filter }}){% endif %}
        {%- if over %} over ({{ over }}){% endif %}
        as {{ type_double() }}
    )
{%- endmacro %}
