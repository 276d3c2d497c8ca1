-- Which foreign keys break most often, and a few example rows of each:
-- `dbt compile --select rejected_rows_by_reason`, then run the SQL in target/.
with rejected as (

    select * from {{ ref('int_rejected_rows') }}

),

final as (

    select
        table_name,
        column_name,
        parent_table,
        count(*) as rejected_rows,
        min(row_key) as first_row_key,
        max(row_key) as last_row_key
    from rejected
    group by table_name, column_name, parent_table

)

select * from final
order by rejected_rows desc, table_name asc, column_name asc
