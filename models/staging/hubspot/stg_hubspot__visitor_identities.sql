with source as (

    select * from {{ ref('base_hubspot__visitor_identities') }}

),

typed as (

    select
        visitor_id,
        contact_id,
        {{ parse_timestamp('identified_at') }} as identified_at
    from source

),

deduplicated as (

    {{ deduplicate(
        relation='typed',
        partition_by=['visitor_id'],
        order_by=[
            'contact_id',
            'identified_at',
        ]
    ) }}

)

select * from deduplicated
