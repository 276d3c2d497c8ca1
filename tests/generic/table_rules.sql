{#- Every per-row rule of one model in one test node: its keys, the columns
    that must not be null, accepted values, accepted ranges and row
    expressions. One test node instead of one per rule (dbt's fixed cost per
    node) and one scan for every counted rule; each key is checked by macro
    broken_keys (a hash aggregate, then the real key columns of candidate
    rows only).

    Arguments (each optional):
    * primary_keys: lists of key columns; no part null, no two rows alike;
    * unique_combinations: lists of key expressions; no two rows alike, null
      parts compare equal (as in a group by);
    * not_null_columns: columns that must not be null;
    * accepted_values: items {column, values}; nulls pass;
    * ranges: items {column, min_value and/or max_value}, both inclusive;
      nulls pass;
    * expressions: items {expression, where (optional)}; a row that matches
      `where` breaks the rule when the expression is false or null.

    Returns one row per broken rule: table, column (or key, or expression),
    rule, the number of rows that break it and, for a key, the smallest
    broken key. The failing rows are stored (config store_failures), so that
    `gtm build` can name table, column and rule in its message. -#}
{% test table_rules(
    model,
    primary_keys=[],
    unique_combinations=[],
    not_null_columns=[],
    accepted_values=[],
    ranges=[],
    expressions=[]
) %}
{{ config(store_failures=true) }}
{%- set table_name = (model.identifier if model.identifier is defined else model | string) | replace("'", "''") -%}
{%- set keys = [] -%}
{%- for columns in primary_keys -%}
    {%- do keys.append({'columns': columns, 'null_parts_break': true,
        'rule': 'primary key: no part null, no two rows alike'}) -%}
{%- endfor -%}
{%- for columns in unique_combinations -%}
    {%- do keys.append({'columns': columns, 'null_parts_break': false,
        'rule': 'unique combination: no two rows alike'}) -%}
{%- endfor -%}
{%- set counted = [] -%}
{%- for column in not_null_columns -%}
    {%- do counted.append({'column': column, 'rule': 'must not be null',
        'broken': column ~ ' is null'}) -%}
{%- endfor -%}
{%- for item in accepted_values -%}
    {%- do counted.append({
        'column': item.column,
        'rule': 'must be one of ' ~ item['values'] | join(', '),
        'broken': item.column ~ " not in ('" ~ item['values'] | join("', '") ~ "')",
    }) -%}
{%- endfor -%}
{%- for rule in range_rules(ranges) -%}
    {%- do counted.append(rule) -%}
{%- endfor -%}
{%- for item in expressions -%}
    {%- set broken = 'not coalesce(' ~ item.expression ~ ', false)' -%}
    {%- if item['where'] is defined -%}
        {%- set broken = broken ~ ' and (' ~ item['where'] ~ ')' -%}
    {%- endif -%}
    {%- do counted.append({'column': item.expression, 'rule': 'must be true',
        'broken': broken}) -%}
{%- endfor %}
with
{%- for key in keys %}

broken_key_{{ loop.index }} as (

    {{ broken_keys(model, key.columns, null_parts_break=key.null_parts_break) | indent(4) }}

),
{%- endfor %}
{%- if counted %}

counted as (

    select
        {%- for rule in counted %}
        count(case when {{ rule.broken }} then 1 end) as broken_{{ loop.index }}{{ "," if not loop.last }}
        {%- endfor %}
    from {{ model }}

),
{%- endif %}

per_rule as (
    {%- for key in keys %}

    select
        '{{ key.columns | join(", ") | replace("'", "''") }}' as column_name,
        '{{ key.rule }}' as rule,
        coalesce(sum(occurrences), 0) as failing_rows,
        {#- an example key where the key is plain columns -#}
        {%- if '(' in key.columns | join(' ') %}
        cast(null as {{ dbt.type_string() }}) as example_key
        {%- else %}
        min({{ row_key(key.columns) }}) as example_key
        {%- endif %}
    from broken_key_{{ loop.index }}
    {{ "union all" if not loop.last or counted }}
    {%- endfor %}
    {%- for rule in counted %}

    select
        '{{ rule.column | replace("'", "''") }}' as column_name,
        '{{ rule.rule | replace("'", "''") }}' as rule,
        broken_{{ loop.index }} as failing_rows,
        cast(null as {{ dbt.type_string() }}) as example_key
    from counted
    {{ "union all" if not loop.last }}
    {%- endfor %}

)

select
    '{{ table_name }}' as table_name,
    column_name,
    rule,
    failing_rows,
    example_key
from per_rule
where failing_rows > 0
{% endtest %}
