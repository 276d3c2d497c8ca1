{#- One row per company that reaches the marts: its name, web domain and
    industry. -#}
with companies as (

    select * from {{ staged_rows('companies') }} as companies

),

final as (

    select
        company_id,
        name as company_name,
        domain,
        industry
    from companies

)

select * from final
