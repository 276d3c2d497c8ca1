{#- The staging model of one raw table: its landing view's contract columns,
    one row per primary key. Everything comes from raw_contract():

    * the columns, in contract order (the landing view has typed them);
    * de-duplication (macro deduplicate): a repeated key is one record, and the
      copy with the latest `updated_at` (where the table has one) wins, the
      other columns breaking ties so that every run and engine keeps the same
      copy;
    * for an append-only event table (the contract's `event_time`), an
      incremental model adds only new rows (macro incremental_new_rows,
      lookback window on that column).

    Orphan rows stay here; int_rejected_rows decides which rows the marts skip. -#}
{% macro stage_raw_table(table_name) -%}
    {%- set contract = raw_contract()[table_name] -%}
    {%- set event_time = contract.event_time -%}
    {%- set names = contract.columns | map(attribute='name') | list -%}
    {%- set key = contract.primary_key -%}
    {%- set order_by = ['updated_at desc'] if 'updated_at' in names else [] -%}
    {%- for name in names if name not in key and name != 'updated_at' -%}
        {%- do order_by.append(name) -%}
    {%- endfor -%}
with source as {{ not_materialized() }} (

    select
        {%- for name in names %}
        {{ name }}{{ "," if not loop.last }}
        {%- endfor %}
    from {{ ref('base_hubspot__' ~ table_name) }}

),
{%- if event_time is not none %}

new_rows as (

    {{ incremental_new_rows(relation='source', unique_key=key[0], event_time=event_time) }}

),
{%- endif %}

deduplicated as (

    {{ deduplicate(
        relation='new_rows' if event_time is not none else 'source',
        partition_by=key,
        order_by=order_by or key,
    ) }}

)

select * from deduplicated
{%- endmacro %}

{#- `not materialized` where the engine has it (DuckDB, PostgreSQL): a CTE that
    several branches read (de-duplication reads its source three times) is then
    inlined, so each branch reads only the columns it needs from the landing
    view instead of a full in-memory copy. Spark has no such keyword. -#}
{% macro not_materialized() -%}
    {{ return(adapter.dispatch('not_materialized', 'gtm_analytics')()) }}
{%- endmacro %}

{% macro default__not_materialized() -%}
    not materialized
{%- endmacro %}

{% macro spark__not_materialized() -%}
{%- endmacro %}
