{#- The channels of a kind and model add up to the value attributed to
    touchpoints (campaign + non-campaign value in attribution_summary). Returns
    the kinds and models that do not. -#}
with by_channel as (

    select * from {{ ref('attribution_by_channel') }}

),

summary as (

    select * from {{ ref('attribution_summary') }}

),

channel_totals as (

    select
        conversion_kind,
        attribution_model,
        sum(credited_value) as credited_value
    from by_channel
    group by conversion_kind, attribution_model

),

final as (

    select
        summary.conversion_kind,
        summary.attribution_model,
        summary.campaign_value + summary.non_campaign_value as attributed_value,
        coalesce(channel_totals.credited_value, 0) as channel_value
    from summary
    left join channel_totals
        on
            summary.conversion_kind = channel_totals.conversion_kind
            and summary.attribution_model = channel_totals.attribution_model
    where
        abs(
            summary.campaign_value
            + summary.non_campaign_value
            - coalesce(channel_totals.credited_value, 0)
        ) > greatest(1e-6, 1e-9 * abs(summary.total_value))

)

select * from final
