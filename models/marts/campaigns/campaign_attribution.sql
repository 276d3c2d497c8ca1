{#- Per campaign × conversion kind × attribution model (every combination,
    zeros included): the campaign's fractional credit, the conversions it got
    credit in, and for REVENUE the deals' total amount and the contacts behind
    its credit. -#}
with campaigns as (

    select * from {{ ref('int_campaigns_prepared') }}

),

credits as (

    select * from {{ ref('int_attribution_credits_dealt') }}

),

model_grid as (

    {{ attribution_model_grid() }}

),

campaign_credits as (

    select *
    from credits
    where campaign_id is not null

),

conversion_credits as (

    -- one row per campaign and conversion: a campaign may hold several
    -- touchpoints of one conversion
    select
        campaign_id,
        conversion_kind,
        attribution_model,
        conversion_id,
        {{ exact_sum('credited_value') }} as credited_value,
        sum(share) as share,
        max(conversion_value) as conversion_value
    from campaign_credits
    group by campaign_id, conversion_kind, attribution_model, conversion_id

),

conversion_totals as (

    select
        campaign_id,
        conversion_kind,
        attribution_model,
        {{ exact_sum('credited_value') }} as credited_value,
        count(*) filter (where share > 0) as conversions_touched,
        coalesce(sum(conversion_value) filter (where share > 0), 0) as associated_deal_value
    from conversion_credits
    group by campaign_id, conversion_kind, attribution_model

),

contact_totals as (

    select
        campaign_id,
        conversion_kind,
        attribution_model,
        count(distinct contact_id) as contacts_with_credit
    from campaign_credits
    where share > 0
    group by campaign_id, conversion_kind, attribution_model

),

joined as (

    select
        campaigns.campaign_id,
        model_grid.conversion_kind,
        model_grid.attribution_model,
        model_grid.attribution_model_order,
        coalesce(conversion_totals.credited_value, 0) as credited_value,
        coalesce(conversion_totals.conversions_touched, 0) as conversions_touched,
        coalesce(conversion_totals.associated_deal_value, 0) as associated_deal_value,
        coalesce(contact_totals.contacts_with_credit, 0) as contacts_with_credit
    from campaigns
    cross join model_grid
    left join conversion_totals
        on
            campaigns.campaign_id = conversion_totals.campaign_id
            and model_grid.conversion_kind = conversion_totals.conversion_kind
            and model_grid.attribution_model = conversion_totals.attribution_model
    left join contact_totals
        on
            campaigns.campaign_id = contact_totals.campaign_id
            and model_grid.conversion_kind = contact_totals.conversion_kind
            and model_grid.attribution_model = contact_totals.attribution_model

),

final as (

    select
        campaign_id,
        conversion_kind,
        attribution_model,
        attribution_model_order,
        case when conversion_kind = 'CONTACT_CREATE' then credited_value else 0 end
            as attributed_contacts,
        case when conversion_kind = 'DEAL_CREATE' then credited_value else 0 end
            as attributed_deals,
        case when conversion_kind = 'REVENUE' then credited_value else 0 end
            as attributed_revenue,
        conversions_touched,
        case
            when conversion_kind = 'REVENUE' then cast(associated_deal_value as decimal(18, 2))
        end as associated_deal_value,
        case when conversion_kind = 'REVENUE' then contacts_with_credit end
            as contacts_with_revenue
    from joined

)

select * from final
