{#- The engine's 8-byte floating-point type, for rates, hours and points
    (`dbt.type_float()` is a 4-byte float on DuckDB). -#}
{% macro sequence_double_type() -%}
    {{ return(adapter.dispatch('sequence_double_type', 'gtm_analytics')()) }}
{%- endmacro %}

{% macro default__sequence_double_type() -%}
    double precision
{%- endmacro %}

{% macro spark__sequence_double_type() -%}
    double
{%- endmacro %}
