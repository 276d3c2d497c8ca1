{#- One row per campaign × web session (of any visitor, at or before as-of)
    whose `utm_campaign` equals the campaign's, both trimmed and lower-cased:
    the traffic report's sessions, and campaigns that a session touchpoint
    belongs to. -#}
with campaigns as (

    select * from {{ ref('int_campaigns_prepared') }}

),

sessions as (

    select * from {{ ref('int_web_sessions_classified') }}

),

final as (

    select
        campaigns.campaign_id,
        sessions.session_id,
        sessions.visitor_id,
        sessions.contact_id,
        sessions.source_category,
        sessions.source_detail,
        sessions.pageviews,
        sessions.is_new_visitor_session,
        sessions.is_first_contact_session,
        sessions.started_at
    from campaigns
    inner join sessions
        on campaigns.utm_campaign_key = sessions.utm_campaign_key

)

select * from final
