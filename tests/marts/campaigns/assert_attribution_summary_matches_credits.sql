{#- attribution_summary is consistent with the credit rows: per kind and
    model, the campaign and non-campaign values are the credit rows' sums, the
    unattributed conversions are those without credit rows, and campaign +
    non-campaign + unattributed value = total value. The credit rows are read
    from the wide int_attribution_credits_dealt (attribution_credits is its
    unpivot), the nine models side by side in one pass. Returns the rows that
    are not. -#}
with summary as (

    select * from {{ ref('attribution_summary') }}

),

credits as (

    select * from {{ ref('int_attribution_credits_dealt') }}

),

credit_model_totals as (

    select
        conversion_kind,
        count(distinct conversion_id) as conversions_credited,
        {{ attribution_model_columns(
            'coalesce(sum(credited_value_@) filter (where campaign_id is not null), 0)',
            'campaign_value_@'
        ) }},
        {{ attribution_model_columns(
            'coalesce(sum(credited_value_@) filter (where campaign_id is null), 0)',
            'non_campaign_value_@'
        ) }}
    from credits
    group by conversion_kind

),

credit_totals as (

    {{ attribution_unpivot(
        'credit_model_totals',
        [
            'conversion_kind', 'attribution_model', 'conversions_credited', 'campaign_value',
            'non_campaign_value',
        ],
        per_model=['campaign_value', 'non_campaign_value'],
    ) }}

),

compared as (

    select
        summary.conversion_kind,
        summary.attribution_model,
        summary.conversions,
        summary.conversions_unattributed,
        coalesce(credit_totals.conversions_credited, 0) as conversions_credited,
        summary.total_value,
        summary.campaign_value,
        coalesce(credit_totals.campaign_value, 0) as credited_campaign_value,
        summary.non_campaign_value,
        coalesce(credit_totals.non_campaign_value, 0) as credited_non_campaign_value,
        summary.unattributed_value,
        greatest(1e-6, 1e-9 * abs(summary.total_value)) as tolerance
    from summary
    left join credit_totals
        on
            summary.conversion_kind = credit_totals.conversion_kind
            and summary.attribution_model = credit_totals.attribution_model

),

final as (

    select *
    from compared
    where
        conversions - conversions_unattributed <> conversions_credited
        or abs(campaign_value - credited_campaign_value) > tolerance
        or abs(non_campaign_value - credited_non_campaign_value) > tolerance
        or abs(campaign_value + non_campaign_value + unattributed_value - total_value) > tolerance

)

select * from final
