{#- `materialized` where the engine has it (DuckDB, PostgreSQL): a CTE that
    several branches read is computed once and kept, instead of being inlined
    into each (DuckDB inlines some CTEs on its own). Spark has no such keyword
    and decides for itself. The opposite of not_materialized. -#}
{% macro materialized() -%}
    {{ return(adapter.dispatch('materialized', 'gtm_analytics')()) }}
{%- endmacro %}

{% macro default__materialized() -%}
    materialized
{%- endmacro %}

{% macro spark__materialized() -%}
{%- endmacro %}
