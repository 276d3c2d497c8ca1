{#- Invariant: a campaign's influenced contacts are its distinct contacts with
    a non-meeting touchpoint of the campaign, each counted once over all time -
    in the overview, and over the days of campaign_daily (first-influence day).
    Recomputed here from attribution_touchpoints. Returns the campaigns that
    differ. -#}
with touchpoints as (

    select * from {{ ref('attribution_touchpoints') }}

),

overview as (

    select * from {{ ref('campaign_overview') }}

),

daily as (

    select * from {{ ref('campaign_daily') }}

),

distinct_contacts as (

    select
        campaign_id,
        count(distinct contact_id) as influenced_contacts
    from touchpoints
    where campaign_id is not null and touchpoint_type <> 'MEETING'
    group by campaign_id

),

daily_totals as (

    select
        campaign_id,
        sum(influenced_contacts) as influenced_contacts
    from daily
    group by campaign_id

),

final as (

    select
        overview.campaign_id,
        overview.influenced_contacts,
        coalesce(distinct_contacts.influenced_contacts, 0) as distinct_influenced_contacts,
        coalesce(daily_totals.influenced_contacts, 0) as daily_influenced_contacts
    from overview
    left join distinct_contacts
        on overview.campaign_id = distinct_contacts.campaign_id
    left join daily_totals
        on overview.campaign_id = daily_totals.campaign_id
    where
        overview.influenced_contacts <> coalesce(distinct_contacts.influenced_contacts, 0)
        or overview.influenced_contacts <> coalesce(daily_totals.influenced_contacts, 0)

)

select * from final
