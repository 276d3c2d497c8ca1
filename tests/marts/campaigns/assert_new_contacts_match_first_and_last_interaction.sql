{#- Two implementations agree: without a lookback, a campaign's new contacts
    by first (last) touch in campaign_overview are the CONTACT_CREATE
    conversions in which it got FIRST_INTERACTION (LAST_INTERACTION) credit.
    With `attribution_lookback_days` set the two legitimately differ and the
    test checks nothing. Returns the campaigns that differ. -#}
with overview as (

    select * from {{ ref('campaign_overview') }}

),

campaign_attribution as (

    select * from {{ ref('campaign_attribution') }}

),

first_and_last as (

    select
        campaign_id,
        sum(case when attribution_model = 'FIRST_INTERACTION' then conversions_touched end)
            as first_interaction_contacts,
        sum(case when attribution_model = 'LAST_INTERACTION' then conversions_touched end)
            as last_interaction_contacts
    from campaign_attribution
    where conversion_kind = 'CONTACT_CREATE'
    group by campaign_id

),

final as (

    select
        overview.campaign_id,
        overview.new_contacts_first_touch,
        first_and_last.first_interaction_contacts,
        overview.new_contacts_last_touch,
        first_and_last.last_interaction_contacts
    from overview
    left join first_and_last
        on overview.campaign_id = first_and_last.campaign_id
    where
        {{ var('attribution_lookback_days', none) is none }}
        and (
            overview.new_contacts_first_touch
            <> coalesce(first_and_last.first_interaction_contacts, 0)
            or overview.new_contacts_last_touch
            <> coalesce(first_and_last.last_interaction_contacts, 0)
        )

)

select * from final
