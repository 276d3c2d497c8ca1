{#- Invariant: the monthly figures of a campaign add up to its overview totals
    (sessions, new contacts by first and last touch, influenced contacts counted
    once on their first-influence month, spend). Returns the campaigns
    that do not. -#}
with overview as (

    select * from {{ ref('campaign_overview') }}

),

monthly as (

    select * from {{ ref('campaign_monthly') }}

),

monthly_totals as (

    select
        campaign_id,
        sum(sessions) as sessions,
        sum(new_contacts_first_touch) as new_contacts_first_touch,
        sum(new_contacts_last_touch) as new_contacts_last_touch,
        sum(influenced_contacts) as influenced_contacts,
        sum(spend) as spend
    from monthly
    group by campaign_id

),

compared as (

    select
        overview.campaign_id,
        overview.sessions,
        coalesce(monthly_totals.sessions, 0) as monthly_sessions,
        overview.new_contacts_first_touch,
        coalesce(monthly_totals.new_contacts_first_touch, 0) as monthly_new_contacts_first_touch,
        overview.new_contacts_last_touch,
        coalesce(monthly_totals.new_contacts_last_touch, 0) as monthly_new_contacts_last_touch,
        overview.influenced_contacts,
        coalesce(monthly_totals.influenced_contacts, 0) as monthly_influenced_contacts,
        overview.spend,
        coalesce(monthly_totals.spend, 0) as monthly_spend
    from overview
    full outer join monthly_totals
        on overview.campaign_id = monthly_totals.campaign_id

),

final as (

    select *
    from compared
    where
        campaign_id is null
        or sessions <> monthly_sessions
        or new_contacts_first_touch <> monthly_new_contacts_first_touch
        or new_contacts_last_touch <> monthly_new_contacts_last_touch
        or influenced_contacts <> monthly_influenced_contacts
        or spend <> monthly_spend

)

select * from final
