{#- campaigns.md's invariant for attribution_paths: per conversion kind, the
    paths' conversions add up to the converting journeys, their
    non-conversions to the non-converting ones and their value to the
    converting journeys' value; and the converting journeys are exactly the
    conversions with a pool (the conversions that int_attribution_credits_dealt
    credits). Returns the kinds where a count or sum differs. -#}
with paths as (

    select * from {{ ref('attribution_paths') }}

),

journeys as (

    select * from {{ ref('attribution_journeys') }}

),

credits as (

    select * from {{ ref('int_attribution_credits_dealt') }}

),

path_totals as (

    select
        conversion_kind,
        sum(conversions) as conversions,
        sum(non_conversions) as non_conversions,
        sum(conversion_value) as conversion_value
    from paths
    group by conversion_kind

),

journey_totals as (

    select
        conversion_kind,
        sum(case when is_converting then 1 else 0 end) as conversions,
        sum(case when is_converting then 0 else 1 end) as non_conversions,
        coalesce(sum(value), 0) as conversion_value
    from journeys
    group by conversion_kind

),

credited_conversions as (

    -- a conversion with a pool has a first touch (one row per campaign of it)
    select
        conversion_kind,
        count(distinct conversion_id) as conversions
    from credits
    where is_first_touch
    group by conversion_kind

),

compared as (

    select
        coalesce(
            journey_totals.conversion_kind,
            path_totals.conversion_kind,
            credited_conversions.conversion_kind
        ) as conversion_kind,
        coalesce(journey_totals.conversions, 0) as journey_conversions,
        coalesce(path_totals.conversions, 0) as path_conversions,
        coalesce(credited_conversions.conversions, 0) as credited_conversions,
        coalesce(journey_totals.non_conversions, 0) as journey_non_conversions,
        coalesce(path_totals.non_conversions, 0) as path_non_conversions,
        coalesce(journey_totals.conversion_value, 0) as journey_value,
        coalesce(path_totals.conversion_value, 0) as path_value
    from journey_totals
    full outer join path_totals
        on journey_totals.conversion_kind = path_totals.conversion_kind
    full outer join credited_conversions
        on
            coalesce(journey_totals.conversion_kind, path_totals.conversion_kind)
            = credited_conversions.conversion_kind

),

final as (

    select *
    from compared
    where
        journey_conversions <> path_conversions
        or journey_conversions <> credited_conversions
        or journey_non_conversions <> path_non_conversions
        or journey_value <> path_value

)

select * from final
