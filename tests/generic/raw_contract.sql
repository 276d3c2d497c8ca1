{#- Every bad-input rule of the raw contract for one landing view: nulls in
    columns not marked nullable, values that do not parse as their contract type,
    enum values outside their list. One result row per broken (column, rule) with
    the number of rows and up to three example keys, so a failing build can say
    exactly what is wrong. Column types come from the model's YAML meta. -#}
{% test raw_contract(model, table_name, key_columns) %}
{#- the graph has nodes only at execution; at parse time no column is checked -#}
{%- set columns = {} -%}
{%- if execute -%}
    {%- set columns = graph.nodes['model.' ~ project_name ~ '.' ~ model.identifier].columns -%}
{%- endif -%}
{%- set row_key_expression = row_key(key_columns) -%}

with source as (
    select * from {{ model }}
),

violations as (
    {%- for column_name, column in columns.items() %}
    {%- set meta = column.meta %}
    {%- set contract_type = meta.get('contract_type', 'text') %}
    {%- if not meta.get('nullable', false) %}
    select
        '{{ column_name }}' as column_name,
        'must not be null' as rule,
        {{ row_key_expression }} as row_key
    from source
    where {{ column_name }} is null
    union all
    {%- endif %}
    {%- if contract_type == 'enum' %}
    select
        '{{ column_name }}' as column_name,
        'must be one of {{ meta['values'] | join(", ") }}' as rule,
        {{ row_key_expression }} as row_key
    from source
    where
        {{ column_name }} is not null
        and {{ parse_enum(column_name) }} not in ('{{ meta["values"] | join("', '") }}')
    union all
    {%- elif contract_type != 'text' %}
    select
        '{{ column_name }}' as column_name,
        'must parse as {{ contract_type }}' as rule,
        {{ row_key_expression }} as row_key
    from source
    where
        {{ column_name }} is not null
        and {{ parse_raw_value(column_name, contract_type) }} is null
    union all
    {%- endif %}
    {%- endfor %}
    select
        cast(null as {{ dbt.type_string() }}) as column_name,
        cast(null as {{ dbt.type_string() }}) as rule,
        cast(null as {{ dbt.type_string() }}) as row_key
    where 1 = 0
),

numbered as (
    select
        column_name,
        rule,
        row_key,
        count(*) over (partition by column_name, rule) as failing_rows,
        row_number() over (partition by column_name, rule order by row_key) as example_number
    from violations
)

select
    '{{ table_name }}' as table_name,
    column_name,
    rule,
    failing_rows,
    string_agg(row_key, ', ') as example_keys
from numbered
where example_number <= 3
group by column_name, rule, failing_rows
{% endtest %}
