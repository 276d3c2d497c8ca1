{#- Grain: one row per conversion kind × journey.
    Beyond HubSpot: the journeys of the data-driven attribution
    (int_attribution_journey_steps), converting or not, each with its path
    (merged steps joined by ' > '), its touchpoint and channel counts and, when
    it converts, the time from its first touchpoint to the conversion. One
    hash aggregate over the steps, which carry the journey-level facts: the
    first `head_steps` channels are picked by step number (an ordered string
    aggregate sorts every journey's steps, several times dearer); the steps
    beyond them (few journeys have any) are joined in order as a tail. A
    contact's non-converting journey, stored once for every kind it does not
    convert for, is aggregated once and only then expanded to one row per
    kind. -#}
{%- set head_steps = 8 -%}
-- inlined: the tail reads only the few steps after the head
with steps as {{ not_materialized() }} (

    select * from {{ ref('int_attribution_journey_steps') }}

),

kind_sets as (

    {{ attribution_kind_sets() }}

),

heads as (

    -- the journey-level columns are the same on each of its steps
    select
        conversion_kinds,
        journey_id,
        contact_id,
        is_converting,
        journey_touchpoints,
        first_touch_at,
        converted_at,
        value,
        {%- for step in range(1, head_steps + 1) %}
        max(case when step_number = {{ step }} then channel end) as channel_{{ step }},
        {%- endfor %}
        max(step_number) as steps
    from steps
    group by
        conversion_kinds,
        journey_id,
        contact_id,
        is_converting,
        journey_touchpoints,
        first_touch_at,
        converted_at,
        value

),

head_channels as (

    -- the head's path and its distinct channels: a step's channel counts when
    -- no earlier step of the head has it (every earlier step is present)
    select
        *,
        concat_ws(
            ' > '
            {%- for step in range(1, head_steps + 1) %},
            channel_{{ step }}
            {%- endfor %}
        ) as head_path,
        1
        {%- for step in range(2, head_steps + 1) %}
        + case
            when
                channel_{{ step }} is not null
                {%- for earlier in range(1, step) %}
                and channel_{{ step }} <> channel_{{ earlier }}
                {%- endfor %}
                then 1
            else 0
        end
        {%- endfor %} as head_channels
    from heads

),

tail_steps as (

    -- the steps after the head, with the head's channels to tell new ones
    select
        steps.conversion_kinds,
        steps.journey_id,
        steps.step_number,
        steps.channel,
        case
            when
                steps.channel <> head_channels.channel_1
                {%- for step in range(2, head_steps + 1) %}
                and steps.channel <> head_channels.channel_{{ step }}
                {%- endfor %}
                then steps.channel
        end as new_channel
    from steps
    inner join head_channels
        on
            steps.conversion_kinds = head_channels.conversion_kinds
            and steps.journey_id = head_channels.journey_id
    where steps.step_number > {{ head_steps }}

),

tails as (

    select
        conversion_kinds,
        journey_id,
        {{ attribution_path_string('channel', 'step_number') }} as tail_path,
        count(distinct new_channel) as tail_channels
    from tail_steps
    group by conversion_kinds, journey_id

),

final as (

    -- one row per kind the journey stands for
    select
        kind_sets.conversion_kind,
        head_channels.journey_id,
        head_channels.contact_id,
        head_channels.is_converting,
        case
            when tails.journey_id is null then head_channels.head_path
            else {{ dbt.concat(['head_channels.head_path', "' > '", 'tails.tail_path']) }}
        end as path,
        cast(head_channels.journey_touchpoints as bigint) as touchpoints,
        cast(head_channels.head_channels + coalesce(tails.tail_channels, 0) as bigint) as channels,
        head_channels.first_touch_at,
        head_channels.converted_at,
        {{ sequence_hours_between('head_channels.first_touch_at', 'head_channels.converted_at') }}
        / 24.0 as days_to_conversion,
        cast(head_channels.value as decimal(18, 2)) as value
    from head_channels
    inner join kind_sets
        on head_channels.conversion_kinds = kind_sets.conversion_kinds
    left join tails
        on
            head_channels.conversion_kinds = tails.conversion_kinds
            and head_channels.journey_id = tails.journey_id

)

select * from final
