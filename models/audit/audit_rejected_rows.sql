{#- Grain: one row per rejected staged row and foreign-key column (see
    int_rejected_rows, which decides them). A report: nothing reads it. -#}
with rejected as (

    select * from {{ ref('int_rejected_rows') }}

),

final as (

    select
        table_name,
        row_key,
        column_name,
        missing_value,
        parent_table,
        reason
    from rejected

)

select * from final
