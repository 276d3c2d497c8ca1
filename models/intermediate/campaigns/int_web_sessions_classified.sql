{#- One row per web session at or before as-of, of any visitor: its contact
    (through the visitor's identity, also for sessions before identification),
    source category and drill-down detail, utm_campaign key, page views, and
    whether it is the visitor's and the contact's first session ever (ties:
    smaller session_id). A table rebuilt every time, and the one copy of the
    sessions: int_web_sessions_categorized (a view) is computed here once; its
    other columns (hosts, other UTM keys, URLs) are read there.

    The visitor's first session is found by a window over the session rows; a
    contact's first session is the first of its visitors' first sessions, so
    the contact's window runs over those (one per visitor with a contact), not
    over every session. -#}
with sessions as (

    select
        session_id,
        visitor_id,
        source_category,
        source_detail,
        utm_campaign_key,
        started_at
    from {{ ref('int_web_sessions_categorized') }}

),

visitors as (

    select * from {{ ref('int_visitors_identified') }}

),

pageviews as (

    select * from {{ ref('int_pageviews_normalized') }}

),

-- planned on its own: an engine then drops the view's URL join, unread here
session_pageviews as {{ materialized() }} (

    select
        session_id,
        count(*) as pageviews
    from pageviews
    group by session_id

),

-- the visitor's first session, one window over the session rows with their
-- few columns (cheaper than a window over narrow rows joined back on
-- session_id); planned on its own, read twice
session_starts as {{ materialized() }} (

    select
        sessions.session_id,
        sessions.visitor_id,
        visitors.contact_id,
        sessions.source_category,
        sessions.source_detail,
        sessions.utm_campaign_key,
        sessions.started_at,
        row_number() over (
            partition by sessions.visitor_id
            order by sessions.started_at, sessions.session_id
        ) = 1 as is_new_visitor_session
    from sessions
    left join visitors
        on sessions.visitor_id = visitors.visitor_id

),

-- a contact's first session is the first of its visitors' first sessions:
-- the contact's window runs over those only, not over every session
contact_first_sessions as (

    select session_id
    from (
        select
            session_id,
            row_number() over (
                partition by contact_id
                order by started_at, session_id
            ) as contact_rank
        from session_starts
        where is_new_visitor_session and contact_id is not null
    ) as visitor_firsts
    where contact_rank = 1

),

final as (

    select
        session_starts.session_id,
        session_starts.visitor_id,
        session_starts.contact_id,
        session_starts.source_category,
        session_starts.source_detail,
        session_starts.utm_campaign_key,
        coalesce(session_pageviews.pageviews, 0) as pageviews,
        session_starts.is_new_visitor_session,
        contact_first_sessions.session_id is not null as is_first_contact_session,
        session_starts.started_at
    from session_starts
    left join session_pageviews
        on session_starts.session_id = session_pageviews.session_id
    left join contact_first_sessions
        on session_starts.session_id = contact_first_sessions.session_id

)

select * from final
