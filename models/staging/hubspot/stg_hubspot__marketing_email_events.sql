with source as (

    select * from {{ ref('base_hubspot__marketing_email_events') }}

),

typed as (

    select
        event_id,
        marketing_email_id,
        contact_id,
        {{ parse_enum('event_type') }} as event_type,
        {{ parse_timestamp('occurred_at') }} as occurred_at,
        {{ parse_boolean('is_bot') }} as is_bot
    from source

),

deduplicated as (

    {{ deduplicate(
        relation='typed',
        partition_by=['event_id'],
        order_by=[
            'marketing_email_id',
            'contact_id',
            'event_type',
            'occurred_at',
            'is_bot',
        ]
    ) }}

)

select * from deduplicated
