{#- The cumulative day counts of a cohort, as columns of one aggregate (no
    window over the day grid): for each day d from 0 to `cohort_days`,
    `<figure>_by_day_<d>` counts the rows whose `<day_column>` is at most d
    (a null day counts nowhere; a negative one, from day 0 on). `figures` is
    a list of [figure, day_column]. -#}
{% macro sequence_cohort_day_counts(figures, cohort_days) -%}
    {%- for figure, day_column in figures %}
        {%- set outer_loop = loop %}
        {%- for day in range(cohort_days + 1) %}
    count(*) filter (where {{ day_column }} <= {{ day }}) as {{ figure }}_by_day_{{ day }}
            {{- "," if not (outer_loop.last and loop.last) }}
        {%- endfor %}
    {%- endfor %}
{%- endmacro %}
