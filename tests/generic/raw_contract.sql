{#- Every per-row rule of the raw contract for one landing view, in one scan:
    nulls in columns not marked nullable, values that do not parse as their
    contract type, enum values outside their list. One result row per broken
    (column, rule) with the number of rows and up to three example keys, so a
    failing build can say exactly what is wrong.

    The landing view (select_raw_table) types every column; where typing can
    turn a value into null it also carries `<column>__raw`, the value as read,
    and only there is "does not parse" checked. Rules and keys come from
    raw_contract(). Repeated keys are resolved by staging and orphan foreign
    keys by int_rejected_rows: neither stops a build. -#}
{% test raw_contract(model, table_name) %}
{%- set contract = raw_contract()[table_name] -%}
{%- set present = [] -%}
{%- if execute -%}
    {%- set present = adapter.get_columns_in_relation(model)
        | map(attribute='name') | map('lower') | list -%}
{%- endif -%}
{%- set rules = [] -%}
{%- for column in contract.columns -%}
    {%- set raw = column.name ~ '__raw' -%}
    {%- set has_raw = raw in present -%}
    {%- if not column.nullable -%}
        {%- do rules.append({
            'column': column.name,
            'rule': 'must not be null',
            'broken': (raw if has_raw else column.name) ~ ' is null',
        }) -%}
    {%- endif -%}
    {%- if column.type == 'enum' -%}
        {%- do rules.append({
            'column': column.name,
            'rule': 'must be one of ' ~ column['values'] | join(', '),
            'broken': column.name ~ " not in ('" ~ column['values'] | join("', '") ~ "')",
        }) -%}
    {%- elif has_raw -%}
        {%- do rules.append({
            'column': column.name,
            'rule': 'must parse as ' ~ column.type,
            'broken': raw ~ ' is not null and ' ~ column.name ~ ' is null',
        }) -%}
    {%- endif -%}
{%- endfor %}

with source as (

    select * from {{ model }}

),

checked as (

    select
        {#- a key column is shown as read where the view keeps that -#}
        {%- for key in contract.primary_key %}
        {{ key ~ '__raw' if key ~ '__raw' in present else key }} as {{ key }},
        {%- endfor %}
        {%- for rule in rules %}
        coalesce({{ rule.broken }}, false) as broken_{{ loop.index }}{{ "," if not loop.last }}
        {%- endfor %}
    from source

),

failing as (

    select *
    from checked
    where
        {%- for rule in rules %}
        broken_{{ loop.index }}{{ " or" if not loop.last }}
        {%- endfor %}

),

rules as (
    {%- for rule in rules %}

    select
        {{ loop.index }} as rule_number,
        '{{ rule.column }}' as column_name,
        '{{ rule.rule }}' as rule
    {{ "union all" if not loop.last }}
    {%- endfor %}

),

violations as (

    select
        rules.column_name,
        rules.rule,
        {{ row_key(contract.primary_key, 'failing') }} as row_key
    from failing
    cross join rules
    where
        case rules.rule_number
            {%- for rule in rules %}
            when {{ loop.index }} then failing.broken_{{ loop.index }}
            {%- endfor %}
        end

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
