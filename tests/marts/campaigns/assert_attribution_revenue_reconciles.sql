{#- Invariant (campaigns.md): per model, the REVENUE credit summed over all
    campaigns (campaign_attribution), over touchpoints of no campaign (sales
    meetings and other interactions, attribution_credits) and the unattributed
    remainder (closed-won deals without touchpoints) equals the closed-won
    revenue, computed here independently from the staged deals. The credit rows
    are read from the wide int_attribution_credits_dealt (attribution_credits is
    its unpivot). Returns the models that do not reconcile (tolerance: half a
    cent or 1e-9 relative). -#}
with deals as (

    select * from {{ staged_rows('deals') }} as deals

),

as_of as (

    select * from {{ ref('int_as_of') }}

),

campaign_attribution as (

    select * from {{ ref('campaign_attribution') }}

),

credits as (

    select * from {{ ref('int_attribution_credits_dealt') }}

),

closed_won as (

    select
        deals.deal_id,
        deals.amount
    from deals
    cross join as_of
    where
        deals.is_closed_won
        and deals.amount is not null
        and deals.closed_at is not null
        and deals.closed_at <= as_of.as_of
        and deals.created_at <= as_of.as_of

),

credited_deals as (

    select distinct conversion_id as deal_id
    from credits
    where conversion_kind = 'REVENUE'

),

revenue_totals as (

    select
        coalesce(sum(closed_won.amount), 0) as closed_won_revenue,
        coalesce(
            sum(closed_won.amount) filter (where credited_deals.deal_id is null), 0
        ) as unattributed_revenue
    from closed_won
    left join credited_deals
        on closed_won.deal_id = credited_deals.deal_id

),

campaign_revenue as (

    select
        attribution_model,
        sum(attributed_revenue) as campaign_revenue
    from campaign_attribution
    where conversion_kind = 'REVENUE'
    group by attribution_model

),

sales_model_revenue as (

    select
        {{ attribution_model_columns('sum(credited_value_@)', 'non_campaign_revenue_@') }}
    from credits
    where conversion_kind = 'REVENUE' and campaign_id is null

),

sales_revenue as (

    {{ attribution_unpivot(
        'sales_model_revenue',
        ['attribution_model', 'non_campaign_revenue'],
        per_model=['non_campaign_revenue'],
    ) }}

),

reconciled as (

    select
        campaign_revenue.attribution_model,
        campaign_revenue.campaign_revenue,
        coalesce(sales_revenue.non_campaign_revenue, 0) as non_campaign_revenue,
        revenue_totals.unattributed_revenue,
        revenue_totals.closed_won_revenue
    from campaign_revenue
    cross join revenue_totals
    left join sales_revenue
        on campaign_revenue.attribution_model = sales_revenue.attribution_model

),

final as (

    select *
    from reconciled
    where
        abs(
            campaign_revenue + non_campaign_revenue + unattributed_revenue - closed_won_revenue
        ) > greatest(0.005, 1e-9 * abs(closed_won_revenue))

)

select * from final
