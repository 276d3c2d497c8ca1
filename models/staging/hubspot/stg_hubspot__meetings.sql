with source as (

    select * from {{ ref('base_hubspot__meetings') }}

),

typed as (

    select
        meeting_id,
        contact_id,
        owner_user_id,
        {{ parse_timestamp('booked_at') }} as booked_at,
        {{ parse_timestamp('start_at') }} as start_at,
        {{ parse_enum('booking_source') }} as booking_source
    from source

),

deduplicated as (

    {{ deduplicate(
        relation='typed',
        partition_by=['meeting_id'],
        order_by=[
            'contact_id',
            'owner_user_id',
            'booked_at',
            'start_at',
            'booking_source',
        ]
    ) }}

)

select * from deduplicated
