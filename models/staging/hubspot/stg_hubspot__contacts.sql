with source as (

    select * from {{ ref('base_hubspot__contacts') }}

),

typed as (

    select
        contact_id,
        email,
        first_name,
        last_name,
        company_id,
        lifecycle_stage,
        {{ parse_timestamp('created_at') }} as created_at,
        {{ parse_timestamp('updated_at') }} as updated_at
    from source

),

deduplicated as (

    {{ deduplicate(
        relation='typed',
        partition_by=['contact_id'],
        order_by=[
            'updated_at desc',
            'email',
            'first_name',
            'last_name',
            'company_id',
            'lifecycle_stage',
            'created_at',
        ]
    ) }}

)

select * from deduplicated
