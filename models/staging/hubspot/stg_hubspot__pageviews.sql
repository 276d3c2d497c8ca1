with source as (

    select * from {{ ref('base_hubspot__pageviews') }}

),

typed as (

    select
        pageview_id,
        session_id,
        visitor_id,
        url,
        {{ parse_timestamp('viewed_at') }} as viewed_at
    from source

),

deduplicated as (

    {{ deduplicate(
        relation='typed',
        partition_by=['pageview_id'],
        order_by=[
            'session_id',
            'visitor_id',
            'url',
            'viewed_at',
        ]
    ) }}

)

select * from deduplicated
