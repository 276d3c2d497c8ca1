{#- The engine's 8-byte floating-point type for shares, credits and rates
    (`dbt.type_float()` is a 4-byte float on DuckDB). -#}
{% macro campaign_double_type() -%}
    {{ return(adapter.dispatch('campaign_double_type', 'gtm_analytics')()) }}
{%- endmacro %}

{% macro default__campaign_double_type() -%}
    double precision
{%- endmacro %}

{% macro spark__campaign_double_type() -%}
    double
{%- endmacro %}
