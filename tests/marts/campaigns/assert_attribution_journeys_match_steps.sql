{#- attribution_journeys agrees with int_attribution_journey_steps (the
    journeys the data-driven models read): the same journeys of each kind,
    converting or not; a journey's steps are numbered 1..n with its last step
    flagged, its path has n steps (n - 1 separators ' > '), and two
    neighbouring steps never share a channel. Returns the journeys that
    differ. -#}
with journeys as (

    select * from {{ ref('attribution_journeys') }}

),

steps as (

    select * from {{ ref('int_attribution_journey_steps') }}

),

step_pairs as (

    -- neighbouring steps of one journey with the same channel (should be merged)
    select
        steps.conversion_kind,
        steps.journey_id
    from steps
    inner join steps as next_steps
        on
            steps.conversion_kind = next_steps.conversion_kind
            and steps.journey_id = next_steps.journey_id
            and steps.step_number + 1 = next_steps.step_number
    where steps.channel = next_steps.channel
    group by steps.conversion_kind, steps.journey_id

),

step_journeys as (

    select
        conversion_kind,
        journey_id,
        count(*) as steps,
        max(step_number) as max_step_number,
        min(step_number) as min_step_number,
        sum(case when is_last_step then 1 else 0 end) as last_steps,
        max(case when is_last_step then step_number end) as last_step_number,
        count(distinct is_converting) as converting_flags,
        max(case when is_converting then 1 else 0 end) as is_converting
    from steps
    group by conversion_kind, journey_id

),

compared as (

    select
        coalesce(journeys.conversion_kind, step_journeys.conversion_kind) as conversion_kind,
        coalesce(journeys.journey_id, step_journeys.journey_id) as journey_id,
        journeys.path,
        step_journeys.steps,
        case
            when journeys.journey_id is null then 'journey missing from attribution_journeys'
            when step_journeys.journey_id is null then 'journey without steps'
            when
                step_journeys.min_step_number <> 1
                or step_journeys.max_step_number <> step_journeys.steps
                then 'steps not numbered 1..n'
            when
                step_journeys.last_steps <> 1
                or step_journeys.last_step_number <> step_journeys.steps
                then 'last step not flagged once, on step n'
            when
                step_journeys.converting_flags <> 1
                or step_journeys.is_converting <> case when journeys.is_converting then 1 else 0 end
                then 'is_converting differs'
            when
                (length(journeys.path) - length(replace(journeys.path, ' > ', ''))) / 3
                <> step_journeys.steps - 1
                then 'path and steps differ in length'
        end as problem
    from journeys
    full outer join step_journeys
        on
            journeys.conversion_kind = step_journeys.conversion_kind
            and journeys.journey_id = step_journeys.journey_id

),

final as (

    select
        conversion_kind,
        journey_id,
        problem
    from compared
    where problem is not null
    union all
    select
        conversion_kind,
        journey_id,
        'neighbouring steps share a channel' as problem
    from step_pairs

)

select * from final
