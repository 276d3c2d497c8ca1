with source as (

    select * from {{ ref('base_hubspot__web_sessions') }}

),

typed as (

    select
        session_id,
        visitor_id,
        {{ parse_timestamp('started_at') }} as started_at,
        landing_url,
        referrer_url,
        utm_source,
        utm_medium,
        utm_campaign,
        utm_term,
        utm_content
    from source

),

deduplicated as (

    {{ deduplicate(
        relation='typed',
        partition_by=['session_id'],
        order_by=[
            'visitor_id',
            'started_at',
            'landing_url',
            'referrer_url',
            'utm_source',
            'utm_medium',
            'utm_campaign',
            'utm_term',
            'utm_content',
        ]
    ) }}

)

select * from deduplicated
