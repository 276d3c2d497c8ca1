{#- One row per campaign: HubSpot's campaign overview for all time (a BI tool
    narrows dates with campaign_daily), goals and the share reached, spend,
    cost per new contact and ROI on LINEAR attributed revenue. -#}
with campaigns as (

    select * from {{ ref('int_campaigns_prepared') }}

),

metric_events as (

    select * from {{ ref('int_campaign_metric_events_unioned') }}

),

credits as (

    select * from {{ ref('int_attribution_credits_dealt') }}

),

campaign_metrics as (

    select
        campaign_id,
        count(*) filter (where metric_name = 'SESSIONS') as sessions,
        count(*) filter (
            where metric_name = 'NEW_CONTACTS_FIRST_TOUCH'
        ) as new_contacts_first_touch,
        count(*) filter (where metric_name = 'NEW_CONTACTS_LAST_TOUCH') as new_contacts_last_touch,
        count(*) filter (where metric_name = 'INFLUENCED_CONTACTS') as influenced_contacts,
        sum(metric_value) filter (where metric_name = 'SPEND') as spend
    from metric_events
    group by campaign_id

),

linear_revenue as (

    select
        campaign_id,
        {{ exact_sum('credited_value_linear') }} as linear_attributed_revenue
    from credits
    where
        conversion_kind = 'REVENUE'
        and campaign_id is not null
    group by campaign_id

),

joined as (

    select
        campaigns.campaign_id,
        campaigns.campaign_name,
        coalesce(campaign_metrics.sessions, 0) as sessions,
        coalesce(campaign_metrics.new_contacts_first_touch, 0) as new_contacts_first_touch,
        coalesce(campaign_metrics.new_contacts_last_touch, 0) as new_contacts_last_touch,
        coalesce(campaign_metrics.influenced_contacts, 0) as influenced_contacts,
        campaigns.goal_sessions,
        campaigns.goal_new_contacts,
        campaigns.goal_influenced_contacts,
        cast(coalesce(campaign_metrics.spend, 0) as decimal(18, 2)) as spend,
        coalesce(linear_revenue.linear_attributed_revenue, 0) as linear_attributed_revenue
    from campaigns
    left join campaign_metrics
        on campaigns.campaign_id = campaign_metrics.campaign_id
    left join linear_revenue
        on campaigns.campaign_id = linear_revenue.campaign_id

),

final as (

    select
        campaign_id,
        campaign_name,
        sessions,
        new_contacts_first_touch,
        new_contacts_last_touch,
        influenced_contacts,
        goal_sessions,
        goal_new_contacts,
        goal_influenced_contacts,
        {{ safe_ratio('sessions', 'goal_sessions') }} as sessions_goal_share,
        {{ safe_ratio('new_contacts_first_touch', 'goal_new_contacts') }}
            as new_contacts_goal_share,
        {{ safe_ratio('influenced_contacts', 'goal_influenced_contacts') }}
            as influenced_contacts_goal_share,
        spend,
        linear_attributed_revenue,
        -- null without spend (none recorded, or zero) or without new contacts
        {{ safe_ratio('nullif(spend, 0)', 'new_contacts_first_touch') }}
            as cost_per_new_contact,
        {{ safe_ratio('linear_attributed_revenue - spend', 'spend') }} as roi
    from joined

)

select * from final
