{#- Per campaign × conversion kind × attribution model (every combination,
    zeros included): the campaign's fractional credit, the conversions it got
    credit in, and for REVENUE the deals' total amount and the contacts behind
    its credit. -#}
{#- The nine models are summed side by side over the wide credit table
    (columns <name>_<model>), then unpivoted: the credited values straight
    from the credit rows (one exact sum per campaign, kind and model), the
    conversions touched and deal values from one bit mask per campaign and
    conversion. -#}
with campaigns as (

    select * from {{ ref('int_campaigns_prepared') }}

),

-- inlined: the two aggregates below read different columns and rows of it
credits as {{ not_materialized() }} (

    select * from {{ ref('int_attribution_credits_dealt') }}

),

dim_campaigns as (

    select * from {{ ref('dim_campaigns') }}

),

model_grid as (

    {{ attribution_model_grid() }}

),

campaign_credits as {{ not_materialized() }} (

    select *
    from credits
    where campaign_id is not null

),

conversion_credits as (

    -- one row per campaign and conversion: which models credit the campaign
    -- in the conversion (one aggregate; a campaign may hold several
    -- touchpoints of one conversion)
    select
        campaign_id,
        conversion_kind,
        conversion_id,
        bit_or(
            {{ attribution_positive_shares() }}
        ) as positive_shares,
        max(conversion_value) as conversion_value
    from campaign_credits
    group by campaign_id, conversion_kind, conversion_id

),

conversion_touches as (

    select
        campaign_id,
        conversion_kind,
        {{ attribution_model_columns(
            'count(*) filter (where (positive_shares & @bit) <> 0)', 'conversions_touched_@'
        ) }},
        {{ attribution_model_columns(
            'coalesce(sum(conversion_value) filter (where (positive_shares & @bit) <> 0), 0)',
            'associated_deal_value_@'
        ) }}
    from conversion_credits
    group by campaign_id, conversion_kind

),

campaign_values as (

    -- summed straight from the credit rows: exact, whatever their order
    select
        campaign_id,
        conversion_kind,
        {{ attribution_model_columns(exact_sum('credited_value_@'), 'credited_value_@') }}
    from campaign_credits
    group by campaign_id, conversion_kind

),

conversion_model_totals as (

    -- both hold every (campaign, kind) of the credit rows with a campaign
    select
        campaign_values.*,
        {{ attribution_model_columns(
            'conversion_touches.conversions_touched_@', 'conversions_touched_@'
        ) }},
        {{ attribution_model_columns(
            'conversion_touches.associated_deal_value_@', 'associated_deal_value_@'
        ) }}
    from campaign_values
    inner join conversion_touches
        on
            campaign_values.campaign_id = conversion_touches.campaign_id
            and campaign_values.conversion_kind = conversion_touches.conversion_kind

),

contact_credits as (

    -- one row per campaign and contact: whether the contact's touchpoints got
    -- credit under each model (counted below without a distinct per model);
    -- only REVENUE reports contacts
    select
        campaign_id,
        conversion_kind,
        contact_id,
        bit_or(
            {{ attribution_positive_shares() }}
        ) as positive_shares
    from campaign_credits
    where conversion_kind = 'REVENUE'
    group by campaign_id, conversion_kind, contact_id

),

contact_model_totals as (

    select
        campaign_id,
        conversion_kind,
        {{ attribution_model_columns(
            'count(*) filter (where (positive_shares & @bit) <> 0)', 'contacts_with_credit_@'
        ) }}
    from contact_credits
    group by campaign_id, conversion_kind

),

model_totals as (

    select
        conversion_model_totals.*,
        {{ attribution_model_columns(
            'contact_model_totals.contacts_with_credit_@', 'contacts_with_credit_@'
        ) }}
    from conversion_model_totals
    left join contact_model_totals
        on
            conversion_model_totals.campaign_id = contact_model_totals.campaign_id
            and conversion_model_totals.conversion_kind = contact_model_totals.conversion_kind

),

totals as (

    {{ attribution_unpivot(
        'model_totals',
        [
            'campaign_id', 'conversion_kind', 'attribution_model', 'credited_value',
            'conversions_touched', 'associated_deal_value', 'contacts_with_credit',
        ],
        per_model=[
            'credited_value',
            'conversions_touched',
            'associated_deal_value',
            'contacts_with_credit',
        ],
    ) }}

),

joined as (

    select
        campaigns.campaign_id,
        dim_campaigns.campaign_name,
        model_grid.conversion_kind,
        model_grid.attribution_model,
        model_grid.attribution_model_order,
        coalesce(totals.credited_value, 0) as credited_value,
        coalesce(totals.conversions_touched, 0) as conversions_touched,
        coalesce(totals.associated_deal_value, 0) as associated_deal_value,
        coalesce(totals.contacts_with_credit, 0) as contacts_with_credit
    from campaigns
    cross join model_grid
    left join totals
        on
            campaigns.campaign_id = totals.campaign_id
            and model_grid.conversion_kind = totals.conversion_kind
            and model_grid.attribution_model = totals.attribution_model
    left join dim_campaigns
        on campaigns.campaign_id = dim_campaigns.campaign_id

),

final as (

    select
        campaign_id,
        campaign_name,
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
