{#- Whether this dbt invocation rebuilds the staging model of a raw table in
    full, so that it holds exactly one row per key of the raw table as read in
    this build: the model is selected, and it is a table, or an incremental model
    refreshed in full (--full-refresh, unless its config says otherwise; `gtm
    build` passes it whenever it starts from an empty work file). An incremental
    build may leave late rows out (macro incremental_new_rows), and a staging
    table that this invocation does not build may be older than the raw files.
    While dbt parses (no graph yet) the answer is false, the safe one. -#}
{% macro staged_in_full(table_name) -%}
    {%- set unique_id = 'model.' ~ project_name ~ '.stg_hubspot__' ~ table_name -%}
    {%- set node = graph.get('nodes', {}).get(unique_id) -%}
    {%- if node is none or unique_id not in selected_resources -%}
        {{ return(false) }}
    {%- endif -%}
    {%- if node.config.materialized == 'table' -%}
        {{ return(true) }}
    {%- endif -%}
    {%- set full_refresh = node.config.full_refresh -%}
    {{ return(node.config.materialized == 'incremental' and (
        full_refresh if full_refresh is not none else flags.FULL_REFRESH
    )) }}
{%- endmacro %}
