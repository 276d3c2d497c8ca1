{#- The model (a view that adds columns to `relation`, e.g. display names
    joined from dimensions) passes every row of `relation` through exactly
    once, with every column the two share unchanged: same row count and same
    sum of a hash of the shared columns (macro key_hash; a multiset of rows
    that differs in any row changes the sum, barring a 64-bit collision).
    With this test, tests of the shared columns run on `relation`, which is
    cheaper than re-running the view's joins once per test; `not_null_columns`
    lists columns that only the model has and that must not be null, checked
    in the same scan. One row per failed check, with both sides' values. -#}
{% test passes_rows_through(model, relation, not_null_columns=[]) %}
{%- set shared = [] -%}
{%- if execute -%}
    {%- set model_columns = adapter.get_columns_in_relation(model)
        | map(attribute='name') | map('lower') | list -%}
    {%- for column in adapter.get_columns_in_relation(relation) -%}
        {%- if column.name | lower in model_columns -%}
            {%- do shared.append(column.name | lower) -%}
        {%- endif -%}
    {%- endfor -%}
{%- endif -%}
{%- if not shared -%}
    {%- do shared.append('1') -%}
{%- endif -%}
{%- set row_hash = 'cast(' ~ key_hash(shared) ~ ' as decimal(38, 0))' %}
with model_summary as (

    select
        count(*) as row_count,
        sum({{ row_hash }}) as row_hash_sum
        {%- for column in not_null_columns %},
        count(*) filter (where {{ column }} is null) as nulls_{{ loop.index }}
        {%- endfor %}
    from {{ model }}

),

relation_summary as (

    select
        count(*) as row_count,
        sum({{ row_hash }}) as row_hash_sum
    from {{ relation }}

),

checks as (

    select
        'rows (every row of {{ relation.identifier }} once)' as check_name,
        cast(model_summary.row_count as decimal(38, 0)) as model_value,
        cast(relation_summary.row_count as decimal(38, 0)) as expected_value
    from model_summary cross join relation_summary
    union all
    select
        'sum of a hash of the {{ shared | length }} shared columns (passed through unchanged)',
        model_summary.row_hash_sum,
        relation_summary.row_hash_sum
    from model_summary cross join relation_summary
    {%- for column in not_null_columns %}
    union all
    select
        'rows with {{ column }} null',
        cast(nulls_{{ loop.index }} as decimal(38, 0)),
        cast(0 as decimal(38, 0))
    from model_summary
    {%- endfor %}

)

select * from checks
where model_value != expected_value or (model_value is null) != (expected_value is null)
{% endtest %}
