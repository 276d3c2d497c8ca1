{#- Grain: one row per staged row and foreign-key column that names no row of
    its parent table (raw contract, "Bad input"), with the reason. This is where
    rejected rows are decided, once: macro staged_rows keeps them out of every
    intermediate model, audit_rejected_rows reports them. The parent is the
    whole staged parent table, so a row is never rejected only because its own
    parent was. -#}
with rejected as (
    {%- for table_name, column_name, parent_table, parent_key in raw_foreign_keys() %}

    {{ orphan_rows(table_name, column_name, parent_table, parent_key) }}
    {{ "union all" if not loop.last }}
    {%- endfor %}

),

final as (

    select * from rejected

)

select * from final
