{#- The continuous (interpolated) percentile `fraction` of a numeric
    expression within a group: an aggregate, so use it with `group by`.
    Standard `percentile_cont ... within group` runs on DuckDB, PostgreSQL and
    Spark 3.3+; dispatched so an engine without it can get its own form. -#}
{% macro sequence_percentile(expression, fraction) -%}
    {{ return(adapter.dispatch('sequence_percentile', 'gtm_analytics')(expression, fraction)) }}
{%- endmacro %}

{% macro default__sequence_percentile(expression, fraction) -%}
    percentile_cont({{ fraction }}) within group (order by {{ expression }})
{%- endmacro %}
