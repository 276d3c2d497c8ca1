{#- campaign_attribution and campaign_revenue are consistent with the credit
    rows: per campaign, kind and model the attributed figure is the sum of the
    campaign's credit rows, and campaign_revenue is the LINEAR REVENUE row of
    campaign_attribution. The credit rows are read from the wide
    int_attribution_credits_dealt (attribution_credits is its unpivot), the
    nine models side by side. The credited values are summed per campaign
    directly; only whether a model touches a conversion needs the campaign x
    conversion grain, as one cheap flag per model (not the nine sums and nine
    maxima there). Returns the rows that are not. -#}
with campaign_attribution as (

    select * from {{ ref('campaign_attribution') }}

),

campaign_revenue as (

    select * from {{ ref('campaign_revenue') }}

),

credits as (

    select * from {{ ref('int_attribution_credits_dealt') }}

),

conversion_touches as (

    {#- per campaign and conversion, whether each model gives it a share -#}
    select
        campaign_id,
        conversion_kind,
        conversion_id,
        {{ attribution_model_columns(
            'max(case when share_@ > 0 then 1 else 0 end)', 'is_touched_@'
        ) }}
    from credits
    where campaign_id is not null
    group by campaign_id, conversion_kind, conversion_id

),

touch_totals as (

    select
        campaign_id,
        conversion_kind,
        {{ attribution_model_columns('sum(is_touched_@)', 'conversions_touched_@') }}
    from conversion_touches
    group by campaign_id, conversion_kind

),

value_totals as (

    select
        campaign_id,
        conversion_kind,
        {{ attribution_model_columns('sum(credited_value_@)', 'credited_value_@') }}
    from credits
    where campaign_id is not null
    group by campaign_id, conversion_kind

),

credit_model_totals as (

    {#- both hold every (campaign, kind) of the credit rows with a campaign -#}
    select
        value_totals.*,
        {{ attribution_model_columns(
            'touch_totals.conversions_touched_@', 'conversions_touched_@'
        ) }}
    from value_totals
    inner join touch_totals
        on
            value_totals.campaign_id = touch_totals.campaign_id
            and value_totals.conversion_kind = touch_totals.conversion_kind

),

credit_totals as (

    {{ attribution_unpivot(
        'credit_model_totals',
        [
            'campaign_id', 'conversion_kind', 'attribution_model', 'credited_value',
            'conversions_touched',
        ],
        per_model=['credited_value', 'conversions_touched'],
    ) }}

),

attribution_mismatches as (

    select
        campaign_attribution.campaign_id,
        campaign_attribution.conversion_kind,
        campaign_attribution.attribution_model,
        'campaign_attribution differs from attribution_credits' as problem
    from campaign_attribution
    left join credit_totals
        on
            campaign_attribution.campaign_id = credit_totals.campaign_id
            and campaign_attribution.conversion_kind = credit_totals.conversion_kind
            and campaign_attribution.attribution_model = credit_totals.attribution_model
    where
        abs(
            campaign_attribution.attributed_contacts
            + campaign_attribution.attributed_deals
            + campaign_attribution.attributed_revenue
            - coalesce(credit_totals.credited_value, 0)
        ) > 1e-6
        or campaign_attribution.conversions_touched
        <> coalesce(credit_totals.conversions_touched, 0)

),

revenue_mismatches as (

    select
        campaign_revenue.campaign_id,
        'REVENUE' as conversion_kind,
        'LINEAR' as attribution_model,
        'campaign_revenue differs from campaign_attribution' as problem
    from campaign_revenue
    left join campaign_attribution
        on
            campaign_revenue.campaign_id = campaign_attribution.campaign_id
            and campaign_attribution.conversion_kind = 'REVENUE'
            and campaign_attribution.attribution_model = 'LINEAR'
    where
        campaign_attribution.campaign_id is null
        or abs(campaign_revenue.revenue - campaign_attribution.attributed_revenue) > 1e-6
        or campaign_revenue.deals_with_revenue <> campaign_attribution.conversions_touched
        or campaign_revenue.contacts_with_revenue <> campaign_attribution.contacts_with_revenue

),

final as (

    select * from attribution_mismatches
    union all
    select * from revenue_mismatches

)

select * from final
