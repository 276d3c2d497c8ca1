with source as (

    select * from {{ ref('base_hubspot__sequence_emails') }}

),

typed as (

    select
        email_id,
        enrollment_id,
        step_id,
        template_id,
        sender_user_id,
        contact_id,
        {{ parse_timestamp('sent_at') }} as sent_at
    from source

),

deduplicated as (

    {{ deduplicate(
        relation='typed',
        partition_by=['email_id'],
        order_by=[
            'enrollment_id',
            'step_id',
            'template_id',
            'sender_user_id',
            'contact_id',
            'sent_at',
        ]
    ) }}

)

select * from deduplicated
