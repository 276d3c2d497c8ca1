{#- attribution_summary is consistent with attribution_credits: per kind and
    model, the campaign and non-campaign values are the credit rows' sums, the
    unattributed conversions are those without credit rows, and campaign +
    non-campaign + unattributed value = total value. Returns the rows that are
    not. -#}
with summary as (

    select * from {{ ref('attribution_summary') }}

),

credits as (

    select * from {{ ref('attribution_credits') }}

),

credit_totals as (

    select
        conversion_kind,
        attribution_model,
        count(distinct conversion_id) as conversions_credited,
        coalesce(sum(credited_value) filter (where campaign_id is not null), 0) as campaign_value,
        coalesce(sum(credited_value) filter (where campaign_id is null), 0) as non_campaign_value
    from credits
    group by conversion_kind, attribution_model

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
