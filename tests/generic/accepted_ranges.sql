{#- Several accepted_range rules of one model in one scan (one test node
    instead of one per column): each item of `ranges` is a column with
    `min_value` and/or `max_value` (both inclusive); nulls pass. Returns one
    row per broken rule: the column, the rule and how many rows break it. -#}
{% test accepted_ranges(model, ranges) %}
with counted as (

    select
        {%- for range in ranges %}
        count(*) filter (
            where
            1 = 0
            {%- if range.min_value is defined %}
            or {{ range.column }} < {{ range.min_value }}
            {%- endif %}
            {%- if range.max_value is defined %}
            or {{ range.column }} > {{ range.max_value }}
            {%- endif %}
        ) as broken_{{ loop.index }}{{ "," if not loop.last }}
        {%- endfor %}
    from {{ model }}

),

{# one row per rule; the filter keeps those that are broken #}
per_rule as (
    {%- for range in ranges %}

    select
        '{{ range.column }}' as column_name,
        '
        {%- if range.min_value is defined %}>= {{ range.min_value }}{% endif %}
        {%- if range.min_value is defined and range.max_value is defined %} and {% endif %}
        {%- if range.max_value is defined %}<= {{ range.max_value }}{% endif -%}
        ' as rule,
        broken_{{ loop.index }} as failing_rows
    from counted
    {{ "union all" if not loop.last }}
    {%- endfor %}

)

select * from per_rule
where failing_rows > 0
{% endtest %}
