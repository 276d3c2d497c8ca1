with source as (

    select * from {{ ref('base_hubspot__email_templates') }}

),

typed as (

    select
        template_id,
        name,
        subject,
        {{ parse_timestamp('created_at') }} as created_at
    from source

),

deduplicated as (

    {{ deduplicate(
        relation='typed',
        partition_by=['template_id'],
        order_by=[
            'name',
            'subject',
            'created_at',
        ]
    ) }}

)

select * from deduplicated
