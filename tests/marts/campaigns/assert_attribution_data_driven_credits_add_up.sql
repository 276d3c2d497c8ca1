{#- Invariants (campaigns.md, data-driven attribution): per conversion kind and
    model, the channels' credited conversions add up to the kind's converting
    journeys and their credited value to those journeys' value, both counted
    here independently from the journeys' steps (within 1e-9, relative for the
    value); and every kind with a converting journey has rows under both
    models. Returns the kinds and models that break them. -#}
with journey_steps as (

    select * from {{ ref('int_attribution_journey_steps') }}

),

kind_sets as (

    {{ attribution_kind_sets() }}

),

data_driven as (

    select * from {{ ref('attribution_data_driven') }}

),

models as (

    select 'MARKOV' as attribution_model
    union all
    select 'SHAPLEY' as attribution_model

),

converting_totals as (

    -- one last step per journey (a converting journey stands for one kind)
    select
        kind_sets.conversion_kind,
        count(*) as converting_journeys,
        sum(journey_steps.value) as converting_value
    from journey_steps
    inner join kind_sets
        on journey_steps.conversion_kinds = kind_sets.conversion_kinds
    where journey_steps.is_converting and journey_steps.is_last_step
    group by kind_sets.conversion_kind

),

credit_sums as (

    select
        conversion_kind,
        attribution_model,
        sum(credited_conversions) as credited_conversions,
        sum(credited_value) as credited_value
    from data_driven
    group by conversion_kind, attribution_model

),

final as (

    select
        converting_totals.conversion_kind,
        models.attribution_model,
        converting_totals.converting_journeys,
        credit_sums.credited_conversions,
        converting_totals.converting_value,
        credit_sums.credited_value
    from converting_totals
    cross join models
    left join credit_sums
        on
            converting_totals.conversion_kind = credit_sums.conversion_kind
            and models.attribution_model = credit_sums.attribution_model
    where
        credit_sums.conversion_kind is null
        or abs(credit_sums.credited_conversions - converting_totals.converting_journeys) > 1e-9
        or abs(credit_sums.credited_value - converting_totals.converting_value)
        > 1e-9 * greatest(1, abs(converting_totals.converting_value))

)

select * from final
