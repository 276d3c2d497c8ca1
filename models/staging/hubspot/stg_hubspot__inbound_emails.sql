with source as (

    select * from {{ ref('base_hubspot__inbound_emails') }}

),

typed as (

    select
        inbound_email_id,
        contact_id,
        {{ parse_timestamp('received_at') }} as received_at,
        in_reply_to_email_id,
        {{ parse_boolean('is_auto_reply') }} as is_auto_reply
    from source

),

deduplicated as (

    {{ deduplicate(
        relation='typed',
        partition_by=['inbound_email_id'],
        order_by=[
            'contact_id',
            'received_at',
            'in_reply_to_email_id',
            'is_auto_reply',
        ]
    ) }}

)

select * from deduplicated
