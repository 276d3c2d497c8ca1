{#- Per raw table: rows read, duplicates removed by de-duplication, rows staged,
    and orphan rows kept out of the marts. `gtm build` prints this summary. -#}
with counts as (
    {%- for table_name in raw_primary_keys().keys() %}

    select
        '{{ table_name }}' as table_name,
        (select count(*) from {{ ref('base_hubspot__' ~ table_name) }}) as raw_rows,
        (select count(*) from {{ ref('stg_hubspot__' ~ table_name) }}) as staged_rows,
        (
            select count(distinct row_key)
            from {{ ref('audit_rejected_rows') }}
            where table_name = '{{ table_name }}'
        ) as rejected_rows
    {{ "union all" if not loop.last }}
    {%- endfor %}

),

final as (

    select
        table_name,
        raw_rows,
        raw_rows - staged_rows as duplicates_removed,
        staged_rows,
        rejected_rows,
        staged_rows - rejected_rows as usable_rows
    from counts

)

select * from final
