{#- attribution_journeys agrees with int_attribution_journey_steps (the
    journeys the data-driven models read), reconciled on aggregates per kind
    and converting flag, one scan of each: as many journeys as last steps; as
    many steps as the paths have (n steps: n - 1 separators ' > '); step
    numbers adding up to 1 + 2 + ... + n over the journeys, and the last
    steps' numbers to the n's, as when every journey's steps are numbered
    1..n with the last one flagged. A journey stored once for several kinds
    (conversion_kinds) counts once for each. The merging of neighbouring
    steps of one channel is asserted by the steps model's unit tests. Returns
    the kinds that differ. -#}
with journeys as (

    select * from {{ ref('attribution_journeys') }}

),

steps as (

    select * from {{ ref('int_attribution_journey_steps') }}

),

kind_sets as (

    {{ attribution_kind_sets() }}

),

journey_lengths as (

    select
        conversion_kind,
        is_converting,
        (length(path) - length(replace(path, ' > ', ''))) / 3 + 1 as path_steps
    from journeys

),

journey_totals as (

    select
        conversion_kind,
        is_converting,
        count(*) as journeys,
        sum(path_steps) as steps,
        sum(path_steps * (path_steps + 1) / 2) as step_number_total
    from journey_lengths
    group by conversion_kind, is_converting

),

step_totals as (

    select
        kind_sets.conversion_kind,
        steps.is_converting,
        sum(case when steps.is_last_step then 1 else 0 end) as journeys,
        count(*) as steps,
        sum(steps.step_number) as step_number_total,
        sum(case when steps.is_last_step then steps.step_number else 0 end)
            as last_step_number_total
    from steps
    inner join kind_sets
        on steps.conversion_kinds = kind_sets.conversion_kinds
    group by kind_sets.conversion_kind, steps.is_converting

),

final as (

    select
        coalesce(journey_totals.conversion_kind, step_totals.conversion_kind)
            as conversion_kind,
        coalesce(journey_totals.is_converting, step_totals.is_converting) as is_converting,
        journey_totals.journeys,
        step_totals.journeys as journeys_in_steps,
        journey_totals.steps,
        step_totals.steps as steps_in_steps,
        journey_totals.step_number_total,
        step_totals.step_number_total as step_number_total_in_steps,
        step_totals.last_step_number_total
    from journey_totals
    full outer join step_totals
        on
            journey_totals.conversion_kind = step_totals.conversion_kind
            and journey_totals.is_converting = step_totals.is_converting
    where
        journey_totals.conversion_kind is null
        or step_totals.conversion_kind is null
        or journey_totals.journeys <> step_totals.journeys
        or journey_totals.steps <> step_totals.steps
        or journey_totals.step_number_total <> step_totals.step_number_total
        or step_totals.last_step_number_total <> journey_totals.steps

)

select * from final
