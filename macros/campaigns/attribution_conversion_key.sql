{#- A bigint that tells the conversions of a query apart (one per row of
    int_conversions_unioned, i.e. per conversion kind and id): a narrow key for
    grouping and joining a conversion's pool instead of its two text columns.
    Never stored. DuckDB numbers the rows in any order (cheap: no sort), so the
    CTE that holds it must be computed once (`materialized`); elsewhere it is
    the rank of (conversion_kind, conversion_id), the same however often it is
    computed. -#}
{% macro attribution_conversion_key() -%}
    {{ return(adapter.dispatch('attribution_conversion_key', 'gtm_analytics')()) }}
{%- endmacro %}

{% macro default__attribution_conversion_key() -%}
    dense_rank() over (order by conversion_kind, conversion_id)
{%- endmacro %}

{% macro duckdb__attribution_conversion_key() -%}
    row_number() over ()
{%- endmacro %}
