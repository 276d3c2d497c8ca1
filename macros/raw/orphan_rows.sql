{#- Orphan foreign-key values, in two steps so that the expensive one carries
    nothing but the value.

    orphan_values: the distinct values of every foreign key that points at one
    parent table (`children`: a list of (table, column)) that name no row of
    it, with the table and column they come from. One anti-join on the typed
    key, so the parent's keys are read and hashed once however many tables
    point at it; each child contributes only its foreign-key column. Nulls in
    a nullable key are not orphans. The parent is the whole staged parent
    table, so a row is never rejected only because its own parent was.

    orphan_rows: the staged rows holding those values (few), one row each with
    its key and the reason: each child table is read again for its key and
    foreign-key column only, joined to the handful of orphan values. -#}
{% macro orphan_values(parent_table, parent_key, children) -%}
    select
        child.table_name,
        child.column_name,
        child.missing_value
    from (
        {%- for table_name, column_name in children %}

        select
            '{{ table_name }}' as table_name,
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
    group by child.table_name, child.column_name, child.missing_value
{%- endmacro %}

{% macro orphan_rows(parent_table, parent_key, children, values_relation) -%}
    {%- for table_name, column_name in children %}
    select
        '{{ table_name }}' as table_name,
        {{ row_key(raw_primary_keys()[table_name], 'staged') }} as row_key,
        '{{ column_name }}' as column_name,
        staged.{{ column_name }} as missing_value,
        '{{ parent_table }}' as parent_table,
        {{ dbt.concat([
            "'" ~ column_name ~ "'",
            "' names no " ~ parent_table ~ "." ~ parent_key ~ "'",
        ]) }} as reason
    from {{ ref('stg_hubspot__' ~ table_name) }} as staged
    inner join {{ values_relation }} as orphan
        on
            orphan.table_name = '{{ table_name }}'
            and orphan.column_name = '{{ column_name }}'
            and staged.{{ column_name }} = orphan.missing_value
    {{ "union all" if not loop.last }}
    {%- endfor %}
{%- endmacro %}
