{#- Fractional hours from `start_column` to `end_column` (negative when the end
    comes first), to the millisecond, through dbt's portable `datediff`. Spark's
    `datediff` counts whole seconds, hence its own form. -#}
{% macro sequence_hours_between(start_column, end_column) -%}
    {{ return(adapter.dispatch('sequence_hours_between', 'gtm_analytics')(
        start_column, end_column
    )) }}
{%- endmacro %}

{% macro default__sequence_hours_between(start_column, end_column) -%}
    {%- set milliseconds = dbt.datediff(start_column, end_column, 'millisecond') -%}
    (cast({{ milliseconds }} as {{ type_double() }}) / 3600000.0)
{%- endmacro %}

{% macro spark__sequence_hours_between(start_column, end_column) -%}
    (
        cast(unix_millis({{ end_column }}) - unix_millis({{ start_column }}) as {{ type_double() }})
        / 3600000.0
    )
{%- endmacro %}
