with source as (

    select * from {{ ref('base_hubspot__form_submissions') }}

),

typed as (

    select
        submission_id,
        form_id,
        contact_id,
        visitor_id,
        page_url,
        {{ parse_timestamp('submitted_at') }} as submitted_at
    from source

),

deduplicated as (

    {{ deduplicate(
        relation='typed',
        partition_by=['submission_id'],
        order_by=[
            'form_id',
            'contact_id',
            'visitor_id',
            'page_url',
            'submitted_at',
        ]
    ) }}

)

select * from deduplicated
