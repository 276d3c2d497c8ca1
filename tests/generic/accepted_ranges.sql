{#- Several accepted_range rules of one model in one scan (one test node
    instead of one per column): each item of `ranges` is a column with
    `min_value` and/or `max_value` (both inclusive); nulls pass. Returns one
    row per broken rule: the column, the rule and how many rows break it.
    The rows are filtered first, with every rule's bounds in the where clause,
    so that the engine can skip storage blocks whose min/max statistics break
    no rule (then the test reads almost nothing). -#}
{% test accepted_ranges(model, ranges) %}
{%- set rules = range_rules(ranges) %}
with broken_rows as (

    select
        {%- for rule in rules %}
        coalesce({{ rule.broken }}, false) as broken_{{ loop.index }}{{ "," if not loop.last }}
        {%- endfor %}
    from {{ model }}
    where
        {%- for rule in rules %}
        {{ rule.broken }}{{ " or" if not loop.last }}
        {%- endfor %}

),

counted as (

    select
        {%- for rule in rules %}
        count(*) filter (where broken_{{ loop.index }}) as broken_{{ loop.index }}{{ "," if not loop.last }}
        {%- endfor %}
    from broken_rows

),

{# one row per rule; the filter keeps those that are broken #}
per_rule as (
    {%- for rule in rules %}

    select
        '{{ rule.column }}' as column_name,
        '{{ rule.rule }}' as rule,
        broken_{{ loop.index }} as failing_rows
    from counted
    {{ "union all" if not loop.last }}
    {%- endfor %}

)

select * from per_rule
where failing_rows > 0
{% endtest %}
