{#- Grain: one row per conversion kind × journey.
    Beyond HubSpot: the journeys of the data-driven attribution
    (int_attribution_journey_steps), converting or not, each with its path
    (merged steps joined by ' > '), its touchpoint and channel counts and, when
    it converts, the time from its first touchpoint to the conversion. One
    aggregate over the steps, which carry the journey-level facts. -#}
with steps as (

    select * from {{ ref('int_attribution_journey_steps') }}

),

journeys as (

    -- the journey-level columns are the same on each of its steps
    select
        conversion_kind,
        journey_id,
        contact_id,
        is_converting,
        journey_touchpoints,
        first_touch_at,
        converted_at,
        value,
        {{ attribution_path_string('channel', 'step_number') }} as path,
        count(distinct channel) as channels
    from steps
    group by
        conversion_kind,
        journey_id,
        contact_id,
        is_converting,
        journey_touchpoints,
        first_touch_at,
        converted_at,
        value

),

final as (

    select
        conversion_kind,
        journey_id,
        contact_id,
        is_converting,
        path,
        cast(journey_touchpoints as bigint) as touchpoints,
        cast(channels as bigint) as channels,
        first_touch_at,
        converted_at,
        {{ sequence_hours_between('first_touch_at', 'converted_at') }} / 24.0
            as days_to_conversion,
        cast(value as decimal(18, 2)) as value
    from journeys

)

select * from final
