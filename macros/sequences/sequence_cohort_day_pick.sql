{#- The column `<figure>_by_day_<d>` (of sequence_cohort_day_counts) of the day
    d that `day_column` holds, 0 to `cohort_days`: turns a cohort's row of
    day columns into one value per day of the grid. -#}
{% macro sequence_cohort_day_pick(figure, day_column, cohort_days) -%}
    case {{ day_column }}
        {%- for day in range(cohort_days + 1) %}
        when {{ day }} then {{ figure }}_by_day_{{ day }}
        {%- endfor %}
    end
{%- endmacro %}
