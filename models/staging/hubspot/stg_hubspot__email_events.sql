with source as (

    select * from {{ ref('base_hubspot__email_events') }}

),

typed as (

    select
        event_id,
        email_id,
        {{ parse_enum('event_type') }} as event_type,
        {{ parse_timestamp('occurred_at') }} as occurred_at,
        url,
        {{ parse_enum('bounce_type') }} as bounce_type,
        {{ parse_boolean('is_bot') }} as is_bot
    from source

),

deduplicated as (

    {{ deduplicate(
        relation='typed',
        partition_by=['event_id'],
        order_by=[
            'email_id',
            'event_type',
            'occurred_at',
            'url',
            'bounce_type',
            'is_bot',
        ]
    ) }}

)

select * from deduplicated
