{#- The day columns of sequence_cohort_day_counts read from `relation` after a
    left join, 0 where the relation has no row: `coalesce(<relation>.<figure>
    _by_day_<d>, 0) as <figure>_by_day_<d>` for every figure and day. -#}
{% macro sequence_cohort_day_columns(figures, cohort_days, relation) -%}
    {%- for figure, day_column in figures %}
        {%- set outer_loop = loop %}
        {%- for day in range(cohort_days + 1) %}
    coalesce({{ relation }}.{{ figure }}_by_day_{{ day }}, 0) as {{ figure }}_by_day_{{ day }}
            {{- "," if not (outer_loop.last and loop.last) }}
        {%- endfor %}
    {%- endfor %}
{%- endmacro %}
