with source as (

    select * from {{ ref('base_hubspot__companies') }}

),

typed as (

    select
        company_id,
        name,
        domain,
        industry,
        {{ parse_timestamp('created_at') }} as created_at
    from source

),

deduplicated as (

    {{ deduplicate(
        relation='typed',
        partition_by=['company_id'],
        order_by=[
            'name',
            'domain',
            'industry',
            'created_at',
        ]
    ) }}

)

select * from deduplicated
