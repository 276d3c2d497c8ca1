{#- Rows of a staged table whose foreign key names no row of its parent: one
    row each, with the reason. Nulls in a nullable key are not orphans. The parent
    is the whole staged parent table, so a row is never rejected only because its
    own parent was. -#}
{% macro orphan_rows(table_name, column_name, parent_table, parent_key) -%}
    select
        '{{ table_name }}' as table_name,
        {{ row_key(raw_primary_keys()[table_name], 'child') }} as row_key,
        '{{ column_name }}' as column_name,
        child.{{ column_name }} as missing_value,
        '{{ parent_table }}' as parent_table,
        '{{ column_name }} names no {{ parent_table }}.{{ parent_key }}' as reason
    from {{ ref('stg_hubspot__' ~ table_name) }} as child
    left join {{ ref('stg_hubspot__' ~ parent_table) }} as parent
        on child.{{ column_name }} = parent.{{ parent_key }}
    where child.{{ column_name }} is not null and parent.{{ parent_key }} is null
{%- endmacro %}
