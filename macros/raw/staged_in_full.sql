{#- Whether the staging model of a raw table is rebuilt in full on every build
    (materialized as a table), so that it holds exactly one row per key of the
    raw table as read in this build. An incremental staging model may lack late
    rows (macro incremental_new_rows); while the graph is not loaded yet (dbt's
    parse) the answer is false, the safe one. -#}
{% macro staged_in_full(table_name) -%}
    {%- set node = graph.get('nodes', {}).get('model.' ~ project_name ~ '.stg_hubspot__' ~ table_name) -%}
    {{ return(node is not none and node.config.materialized == 'table') }}
{%- endmacro %}
