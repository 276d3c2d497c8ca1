{#- Invariant: the daily figures of a campaign add up to its overview totals
    (sessions, new contacts by first and last touch, influenced contacts counted
    once on their first-influence day, spend). Returns the campaigns
    that do not. -#}
with overview as (

    select * from {{ ref('campaign_overview') }}

),

daily as (

    select * from {{ ref('campaign_daily') }}

),

daily_totals as (

    select
        campaign_id,
        sum(sessions) as sessions,
        sum(new_contacts_first_touch) as new_contacts_first_touch,
        sum(new_contacts_last_touch) as new_contacts_last_touch,
        sum(influenced_contacts) as influenced_contacts,
        sum(spend) as spend
    from daily
    group by campaign_id

),

compared as (

    select
        overview.campaign_id,
        overview.sessions,
        coalesce(daily_totals.sessions, 0) as daily_sessions,
        overview.new_contacts_first_touch,
        coalesce(daily_totals.new_contacts_first_touch, 0) as daily_new_contacts_first_touch,
        overview.new_contacts_last_touch,
        coalesce(daily_totals.new_contacts_last_touch, 0) as daily_new_contacts_last_touch,
        overview.influenced_contacts,
        coalesce(daily_totals.influenced_contacts, 0) as daily_influenced_contacts,
        overview.spend,
        coalesce(daily_totals.spend, 0) as daily_spend
    from overview
    full outer join daily_totals
        on overview.campaign_id = daily_totals.campaign_id

),

final as (

    select *
    from compared
    where
        campaign_id is null
        or sessions <> daily_sessions
        or new_contacts_first_touch <> daily_new_contacts_first_touch
        or new_contacts_last_touch <> daily_new_contacts_last_touch
        or influenced_contacts <> daily_influenced_contacts
        or spend <> daily_spend

)

select * from final
