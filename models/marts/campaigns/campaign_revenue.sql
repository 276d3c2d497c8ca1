{#- HubSpot's linear revenue report ("Pro"), one row per campaign: its LINEAR
    REVENUE credit (each closed-won amount split evenly over all touchpoints up
    to the close), the deals in which it got credit and the contacts behind it. -#}
with campaigns as (

    select * from {{ ref('int_campaigns_prepared') }}

),

credits as (

    select * from {{ ref('int_attribution_credits_dealt') }}

),

linear_revenue_credits as (

    select *
    from credits
    where
        conversion_kind = 'REVENUE'
        and campaign_id is not null
        and share_linear > 0

),

revenue_totals as (

    select
        campaign_id,
        {{ exact_sum('credited_value_linear') }} as revenue,
        count(distinct conversion_id) as deals_with_revenue,
        count(distinct contact_id) as contacts_with_revenue
    from linear_revenue_credits
    group by campaign_id

),

final as (

    select
        campaigns.campaign_id,
        campaigns.campaign_name,
        coalesce(revenue_totals.revenue, 0) as revenue,
        coalesce(revenue_totals.deals_with_revenue, 0) as deals_with_revenue,
        coalesce(revenue_totals.contacts_with_revenue, 0) as contacts_with_revenue
    from campaigns
    left join revenue_totals
        on campaigns.campaign_id = revenue_totals.campaign_id

)

select * from final
