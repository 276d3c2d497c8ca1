{#- Every staged row whose foreign key points nowhere, with its reason. These
    rows are kept out of the marts (see macro staged_rows) and reported by a
    warning-level test; nothing about them is lost. -#}
with rejected as (
    {%- for table_name, column_name, parent_table, parent_key in raw_foreign_keys() %}

    {{ orphan_rows(table_name, column_name, parent_table, parent_key) }}
    {{ "union all" if not loop.last }}
    {%- endfor %}

)

select * from rejected
