{#- The staged rows of a raw table that reach the marts: every row but those
    int_rejected_rows lists (an anti-join on the table's own key; a table without
    foreign keys reads its staging model as it is). Intermediate models read raw
    tables only through this macro, so an orphan is kept out everywhere. -#}
{% macro staged_rows(table_name) -%}
    {%- set contract = raw_contract()[table_name] -%}
    {%- set key = contract.primary_key -%}
    {%- if contract.foreign_keys | length == 0 -%}
    (select * from {{ ref('stg_hubspot__' ~ table_name) }})
    {%- else -%}
    (
        select staged.*
        from {{ ref('stg_hubspot__' ~ table_name) }} as staged
        where not exists (
            select 1
            from {{ ref('int_rejected_rows') }} as rejected
            where
                rejected.table_name = '{{ table_name }}'
                and rejected.row_key = {{
                    'staged.' ~ key[0] if key | length == 1 else row_key(key, 'staged')
                }}
        )
    )
    {%- endif -%}
{%- endmacro %}
