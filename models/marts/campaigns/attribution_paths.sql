{#- Grain: one row per conversion kind × path.
    Beyond HubSpot: the data-driven attribution's journeys grouped by their
    path (attribution_journeys): how many converted and how many did not, the
    conversion rate, the value converted, and how long and how many
    touchpoints the converting journeys took. -#}
with journeys as (

    select * from {{ ref('attribution_journeys') }}

),

paths as (

    select
        conversion_kind,
        path,
        sum(case when is_converting then 1 else 0 end) as conversions,
        sum(case when is_converting then 0 else 1 end) as non_conversions,
        sum(value) as conversion_value,
        sum(case when is_converting then touchpoints end) as converting_touchpoints,
        {{ sequence_percentile('days_to_conversion', 0.5) }} as median_days_to_conversion
    from journeys
    group by conversion_kind, path

),

final as (

    select
        conversion_kind,
        path,
        cast(conversions as bigint) as conversions,
        cast(non_conversions as bigint) as non_conversions,
        cast(conversions as {{ type_double() }}) / (conversions + non_conversions)
            as conversion_rate,
        cast(coalesce(conversion_value, 0) as decimal(18, 2)) as conversion_value,
        cast(converting_touchpoints as {{ type_double() }}) / nullif(conversions, 0)
            as avg_touchpoints,
        cast(median_days_to_conversion as {{ type_double() }}) as median_days_to_conversion
    from paths

)

select * from final
