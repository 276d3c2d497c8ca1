{#- Rows of staged tables whose foreign key names no row of one parent table:
    one row each, with the reason. Every foreign key that points at this parent
    (`children`: a list of (table, column)) is checked by one anti-join on the
    typed key, so the parent's keys are read and hashed once however many
    tables point at it; each child contributes only its key and the foreign-key
    column. Nulls in a nullable key are not orphans. The parent is the whole
    staged parent table, so a row is never rejected only because its own parent
    was. -#}
{% macro orphan_rows(parent_table, parent_key, children) -%}
    select
        child.table_name,
        child.row_key,
        child.column_name,
        child.missing_value,
        '{{ parent_table }}' as parent_table,
        {{ dbt.concat([
            'child.column_name',
            "' names no " ~ parent_table ~ "." ~ parent_key ~ "'",
        ]) }} as reason
    from (
        {%- for table_name, column_name in children %}

        select
            '{{ table_name }}' as table_name,
            {{ row_key(raw_primary_keys()[table_name]) }} as row_key,
            '{{ column_name }}' as column_name,
            {{ column_name }} as missing_value
        from {{ ref('stg_hubspot__' ~ table_name) }}
        where {{ column_name }} is not null
        {{ "union all" if not loop.last }}
        {%- endfor %}
    ) as child
    left join {{ ref('stg_hubspot__' ~ parent_table) }} as parent
        on child.missing_value = parent.{{ parent_key }}
    where parent.{{ parent_key }} is null
{%- endmacro %}
