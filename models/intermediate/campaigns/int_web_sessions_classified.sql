{#- One row per web session at or before as-of, of any visitor: its contact
    (through the visitor's identity, also for sessions before identification),
    source category and drill-down detail, page views, and whether it is the
    visitor's and the contact's first session ever (ties: smaller session_id). -#}
with web_sessions as (

    select * from {{ staged_rows('web_sessions') }} as web_sessions

),

visitors as (

    select * from {{ ref('int_visitors_identified') }}

),

pageviews as (

    select * from {{ ref('int_pageviews_normalized') }}

),

as_of as (

    select * from {{ ref('int_as_of') }}

),

sessions_in_range as (

    select web_sessions.*
    from web_sessions
    cross join as_of
    where web_sessions.started_at <= as_of.as_of

),

session_pageviews as (

    select
        session_id,
        count(*) as pageviews
    from pageviews
    group by session_id

),

cleaned as (

    select
        session_id,
        visitor_id,
        started_at,
        landing_url,
        referrer_url,
        {{ normalize_utm_value('utm_source') }} as utm_source_key,
        {{ normalize_utm_value('utm_medium') }} as utm_medium_key,
        {{ normalize_utm_value('utm_campaign') }} as utm_campaign_key,
        {{ normalize_utm_value('utm_term') }} as utm_term_key,
        {{ normalize_utm_value('utm_content') }} as utm_content_key,
        {{ url_host('utm_source') }} as utm_source_host,
        {{ url_host('referrer_url') }} as referrer_host,
        {{ url_host('landing_url') }} as landing_host
    from sessions_in_range

),

categorized as (

    select
        *,
        {{ source_category(
            utm_medium='utm_medium_key',
            has_utm='coalesce(utm_source_key, utm_medium_key, utm_campaign_key, utm_term_key,'
                ~ ' utm_content_key) is not null',
            source_host='utm_source_host',
            referrer_host='referrer_host',
            landing_host='landing_host',
        ) }} as source_category,
        {{ social_platform('utm_source_host', 'referrer_host') }} as social_platform
    from cleaned

),

identified as (

    select
        categorized.*,
        visitors.contact_id,
        coalesce(session_pageviews.pageviews, 0) as pageviews
    from categorized
    left join visitors
        on categorized.visitor_id = visitors.visitor_id
    left join session_pageviews
        on categorized.session_id = session_pageviews.session_id

),

final as (

    select
        session_id,
        visitor_id,
        contact_id,
        source_category,
        {{ source_detail(
            'source_category', 'utm_term_key', 'utm_source_key', 'utm_medium_key', 'social_platform'
        ) }} as source_detail,
        social_platform,
        utm_source_key,
        utm_medium_key,
        utm_campaign_key,
        utm_term_key,
        utm_content_key,
        referrer_host,
        landing_host,
        landing_url,
        referrer_url,
        pageviews,
        row_number() over (
            partition by visitor_id
            order by started_at, session_id
        ) = 1 as is_new_visitor_session,
        contact_id is not null and row_number() over (
            partition by contact_id
            order by started_at, session_id
        ) = 1 as is_first_contact_session,
        started_at
    from identified

)

select * from final
