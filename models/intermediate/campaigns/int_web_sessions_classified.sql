{#- One row per web session at or before as-of, of any visitor: its contact
    (through the visitor's identity, also for sessions before identification),
    source category and drill-down detail, page views, and whether it is the
    visitor's and the contact's first session ever (ties: smaller session_id).
    A table rebuilt every time: a new identity or page view, or a late session,
    changes rows of old sessions; the per-row work it reads is incremental
    (int_web_sessions_categorized). -#}
with sessions as (

    select * from {{ ref('int_web_sessions_categorized') }}

),

visitors as (

    select * from {{ ref('int_visitors_identified') }}

),

pageviews as (

    select * from {{ ref('int_pageviews_normalized') }}

),

session_pageviews as (

    select
        session_id,
        count(*) as pageviews
    from pageviews
    group by session_id

),

identified as (

    select
        sessions.*,
        visitors.contact_id,
        coalesce(session_pageviews.pageviews, 0) as pageviews
    from sessions
    left join visitors
        on sessions.visitor_id = visitors.visitor_id
    left join session_pageviews
        on sessions.session_id = session_pageviews.session_id

),

final as (

    select
        session_id,
        visitor_id,
        contact_id,
        source_category,
        source_detail,
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
