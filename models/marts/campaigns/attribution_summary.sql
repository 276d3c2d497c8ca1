{#- Per conversion kind × attribution model: how many conversions there were,
    how many had no touchpoint (unattributed, never dropped), their total value
    and where it went - to campaigns, to touchpoints of no campaign (sales
    meetings, sessions of no campaign, ...) and unattributed. The three add up
    to the total. -#}
with conversions as (

    select * from {{ ref('int_conversions_unioned') }}

),

-- inlined: the two aggregates below read different columns of it
credits as {{ not_materialized() }} (

    select * from {{ ref('int_attribution_credits_dealt') }}

),

model_grid as (

    {{ attribution_model_grid() }}

),

attributed_conversions as (

    -- every model credits the same conversions (those with a pool); each
    -- has a first touch (one row per campaign of it), so only those rows are
    -- grouped
    select
        conversion_kind,
        conversion_id
    from credits
    where is_first_touch
    group by conversion_kind, conversion_id

),

conversion_totals as (

    select
        conversions.conversion_kind,
        count(*) as conversions,
        count(*) filter (where attributed_conversions.conversion_id is null)
            as conversions_unattributed,
        sum(conversions.conversion_value) as total_value,
        coalesce(
            sum(conversions.conversion_value) filter (
                where attributed_conversions.conversion_id is null
            ),
            0
        ) as unattributed_value
    from conversions
    left join attributed_conversions
        on
            conversions.conversion_kind = attributed_conversions.conversion_kind
            and conversions.conversion_id = attributed_conversions.conversion_id
    group by conversions.conversion_kind

),

credit_model_totals as (

    -- the nine models side by side in one pass over the wide credit table
    select
        conversion_kind,
        {{ attribution_model_columns(
            'coalesce(' ~ exact_sum('credited_value_@', filter='campaign_id is not null') ~ ', 0)',
            'campaign_value_@'
        ) }},
        {{ attribution_model_columns(
            'coalesce(' ~ exact_sum('credited_value_@', filter='campaign_id is null') ~ ', 0)',
            'non_campaign_value_@'
        ) }}
    from credits
    group by conversion_kind

),

credit_totals as (

    {{ attribution_unpivot(
        'credit_model_totals',
        ['conversion_kind', 'attribution_model', 'campaign_value', 'non_campaign_value'],
        per_model=['campaign_value', 'non_campaign_value'],
    ) }}

),

final as (

    select
        model_grid.conversion_kind,
        model_grid.attribution_model,
        model_grid.attribution_model_order,
        coalesce(conversion_totals.conversions, 0) as conversions,
        coalesce(conversion_totals.conversions_unattributed, 0) as conversions_unattributed,
        cast(coalesce(conversion_totals.total_value, 0) as decimal(18, 2)) as total_value,
        coalesce(credit_totals.campaign_value, 0) as campaign_value,
        coalesce(credit_totals.non_campaign_value, 0) as non_campaign_value,
        cast(coalesce(conversion_totals.unattributed_value, 0) as decimal(18, 2))
            as unattributed_value,
        {{ safe_ratio(
            'coalesce(credit_totals.campaign_value, 0)', 'conversion_totals.total_value'
        ) }} as campaign_value_share
    from model_grid
    left join conversion_totals
        on model_grid.conversion_kind = conversion_totals.conversion_kind
    left join credit_totals
        on
            model_grid.conversion_kind = credit_totals.conversion_kind
            and model_grid.attribution_model = credit_totals.attribution_model

)

select * from final
