{#- One row per web session at or before as-of, of any visitor: its contact
    (through the visitor's identity, also for sessions before identification),
    source category and drill-down detail, utm_campaign key, page views, and
    whether it is the visitor's and the contact's first session ever (ties:
    smaller session_id). A table rebuilt every time, and the one copy of the
    sessions: int_web_sessions_categorized (a view) is computed here once; its
    other columns (hosts, other UTM keys, URLs) are read there.

    Both first-session windows run over the session rows with their few
    columns (cheaper than windows over narrow rows joined back on session_id);
    the sessions of no contact form one partition of the contact's window,
    whose flag they do not read. -#}
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

-- both first-session flags in one pass over the session rows, no join back
-- on session_id (the sessions of no contact form one partition, unread)
session_starts as (

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
        ) = 1 as is_new_visitor_session,
        row_number() over (
            partition by visitors.contact_id
            order by sessions.started_at, sessions.session_id
        ) = 1 as is_first_of_contact
    from sessions
    left join visitors
        on sessions.visitor_id = visitors.visitor_id

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
        session_starts.contact_id is not null and session_starts.is_first_of_contact
            as is_first_contact_session,
        session_starts.started_at
    from session_starts
    left join session_pageviews
        on session_starts.session_id = session_pageviews.session_id

)

select * from final
