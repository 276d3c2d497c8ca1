{#- The range rules of a generic test (accepted_ranges, table_rules): per item
    {column, min_value and/or max_value} (both inclusive; nulls pass), the
    column, the rule as text and the condition a row breaks it with. -#}
{% macro range_rules(ranges) %}
{%- set rules = [] -%}
{%- for item in ranges -%}
    {%- set bounds = [] -%}
    {%- set broken = [] -%}
    {%- if item.min_value is defined -%}
        {%- do bounds.append('>= ' ~ item.min_value) -%}
        {%- do broken.append(item.column ~ ' < ' ~ item.min_value) -%}
    {%- endif -%}
    {%- if item.max_value is defined -%}
        {%- do bounds.append('<= ' ~ item.max_value) -%}
        {%- do broken.append(item.column ~ ' > ' ~ item.max_value) -%}
    {%- endif -%}
    {%- do rules.append({
        'column': item.column,
        'rule': bounds | join(' and '),
        'broken': '(' ~ broken | join(' or ') ~ ')',
    }) -%}
{%- endfor -%}
{{ return(rules) }}
{% endmacro %}
