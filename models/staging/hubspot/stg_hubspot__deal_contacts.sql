with source as (

    select * from {{ ref('base_hubspot__deal_contacts') }}

),

typed as (

    select
        deal_id,
        contact_id
    from source

),

deduplicated as (

    {{ deduplicate(
        relation='typed',
        partition_by=['deal_id', 'contact_id'],
        order_by=[
            'deal_id',
            'contact_id',
        ]
    ) }}

)

select * from deduplicated
