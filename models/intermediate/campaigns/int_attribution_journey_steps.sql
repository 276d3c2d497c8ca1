{#- Grain: one row per journey × step of its path, a journey stored once for
    the conversion kinds it stands for (conversion_kinds).
    The journeys of the data-driven attribution (campaigns.md, "Data-driven
    attribution and conversion paths"): for each conversion kind, a converting
    journey per conversion with a pool (the distinct touchpoints of
    int_attribution_credits_dealt, lookback included) and a non-converting
    journey per contact created at or before as-of that is the contact of no
    conversion of the kind, with its touchpoints at or before as-of (and, with
    `attribution_lookback_days`, at or after as-of minus that many days). A
    path's steps are its touchpoints' channels in touchpoint order (occurred_at,
    touchpoint_id), a run of one channel merged into one step.
    A contact's non-converting journey is the same path whatever the kind, so
    it is stored once with every kind it does not convert for
    (attribution_kind_sets spells the set; the readers expand it per kind only
    where they need to, on few rows). Cheap by construction: the windows run
    once over narrow rows (the converting pools, and each contact's
    touchpoints once), the second only over the rows that start a step, and
    it also gives each step the next step's channel (the Markov moves). The
    journey-level columns after `value` (contact, instants, touchpoint count)
    let attribution_journeys aggregate the steps alone. -#}
{%- set lookback_days = var('attribution_lookback_days', none) -%}
{%- set kinds = attribution_conversion_kinds() -%}

-- inlined: the two branches read different rows of each
with credits as {{ not_materialized() }} (

    select * from {{ ref('int_attribution_credits_dealt') }}

),

touchpoints as {{ not_materialized() }} (

    select * from {{ ref('int_touchpoints_unioned') }}

),

conversion_contacts as (

    select * from {{ ref('int_conversion_contacts_mapped') }}

),

as_of as (

    select * from {{ ref('int_as_of') }}

),

pool_touchpoints as (

    -- a converting journey's touchpoints: its pool, one row per touchpoint (a
    -- touchpoint in k > 1 campaigns has k credit rows)
    select
        conversion_kind,
        conversion_id as source_id,
        touchpoint_id,
        channel,
        occurred_at,
        conversion_value,
        converted_at
    from credits
    where campaign_count <= 1
    union all
    select
        conversion_kind,
        conversion_id as source_id,
        touchpoint_id,
        channel,
        occurred_at,
        conversion_value,
        converted_at
    from credits
    where campaign_count > 1
    group by
        conversion_kind,
        conversion_id,
        touchpoint_id,
        channel,
        occurred_at,
        conversion_value,
        converted_at

),

as_of_window as (

    select
        as_of,
        {%- if lookback_days is not none %}
        {{ dbt.dateadd('second', (-(lookback_days | float) * 86400) | int, 'as_of') }}
            as window_start_at
        {%- else %}
        cast(null as timestamp) as window_start_at
        {%- endif %}
    from as_of

),

contact_touchpoints as (

    -- a contact's touchpoints at or before as-of (with a lookback: at or
    -- after its start), once whatever the kind (conversion_kind null)
    select
        cast(null as {{ dbt.type_string() }}) as conversion_kind,
        touchpoints.contact_id as source_id,
        touchpoints.touchpoint_id,
        touchpoints.channel,
        touchpoints.occurred_at,
        cast(null as decimal(18, 2)) as conversion_value,
        cast(null as timestamp) as converted_at
    from touchpoints
    cross join as_of_window
    where
        touchpoints.campaign_count <= 1
        and touchpoints.occurred_at <= as_of_window.as_of
        and (
            as_of_window.window_start_at is null
            or touchpoints.occurred_at >= as_of_window.window_start_at
        )
    union all
    select
        cast(null as {{ dbt.type_string() }}) as conversion_kind,
        touchpoints.contact_id as source_id,
        touchpoints.touchpoint_id,
        touchpoints.channel,
        touchpoints.occurred_at,
        cast(null as decimal(18, 2)) as conversion_value,
        cast(null as timestamp) as converted_at
    from touchpoints
    cross join as_of_window
    where
        touchpoints.campaign_count > 1
        and touchpoints.occurred_at <= as_of_window.as_of
        and (
            as_of_window.window_start_at is null
            or touchpoints.occurred_at >= as_of_window.window_start_at
        )
    group by
        touchpoints.contact_id,
        touchpoints.touchpoint_id,
        touchpoints.channel,
        touchpoints.occurred_at

),

journey_touchpoints as (

    select * from pool_touchpoints
    union all
    select * from contact_touchpoints

),

ordered as (

    -- one sort (every window has the same partition and order): the previous
    -- touchpoint's channel, the touchpoint's position and the journey's
    -- touchpoint count and first instant
    select
        conversion_kind,
        source_id,
        channel,
        occurred_at,
        conversion_value,
        converted_at,
        lag(channel) over (
            partition by conversion_kind, source_id
            order by occurred_at, touchpoint_id
        ) as previous_channel,
        row_number() over (
            partition by conversion_kind, source_id
            order by occurred_at, touchpoint_id
        ) as touchpoint_number,
        count(*) over (
            partition by conversion_kind, source_id
            order by occurred_at, touchpoint_id
            rows between unbounded preceding and unbounded following
        ) as journey_touchpoints,
        min(occurred_at) over (
            partition by conversion_kind, source_id
            order by occurred_at, touchpoint_id
            rows between unbounded preceding and unbounded following
        ) as first_touch_at
    from journey_touchpoints

),

step_starts as (

    -- a touchpoint whose channel differs from the one before starts a step
    select *
    from ordered
    where previous_channel is null or previous_channel <> channel

),

steps as (

    -- the second sort, over the step-starting rows only (a step's number is
    -- its rank among them)
    select
        conversion_kind,
        source_id,
        channel,
        conversion_value,
        converted_at,
        journey_touchpoints,
        first_touch_at,
        row_number() over (
            partition by conversion_kind, source_id
            order by touchpoint_number
        ) as step_number,
        lead(channel) over (
            partition by conversion_kind, source_id
            order by touchpoint_number
        ) as next_channel,
        count(*) over (
            partition by conversion_kind, source_id
            order by touchpoint_number
            rows between unbounded preceding and unbounded following
        ) as journey_steps
    from step_starts

),

contact_kinds as (

    -- per contact: whether it was created by as-of (its CONTACT_CREATE
    -- conversion, int_conversions_unioned) and whether it is a contact of a
    -- conversion of each kind
    select
        {%- for kind in kinds %}
        max(case when conversion_kind = '{{ kind }}' then 1 else 0 end)
            as converts_{{ kind | lower }},
        {%- endfor %}
        contact_id
    from conversion_contacts
    group by contact_id

),

non_converting_contacts as (

    -- a contact created by as-of that does not convert for some kind, with
    -- the kinds it does not convert for, in display order (never
    -- CONTACT_CREATE: every such contact is a CONTACT_CREATE conversion)
    select
        contact_id,
        concat_ws(
            ','
            {%- for kind in kinds %},
            case when converts_{{ kind | lower }} = 0 then '{{ kind }}' end
            {%- endfor %}
        ) as conversion_kinds
    from contact_kinds
    where
        converts_contact_create = 1
        and (
            {%- for kind in kinds %}
            converts_{{ kind | lower }} = 0{{ " or" if not loop.last }}
            {%- endfor %}
        )

),

final as (

    -- a conversion's steps under its kind; a contact's steps once, under the
    -- kinds it does not convert for (its steps are dropped when there are none)
    select
        coalesce(steps.conversion_kind, non_converting_contacts.conversion_kinds)
            as conversion_kinds,
        case
            when steps.conversion_kind is null
                then {{ dbt.concat(["'CONTACT:'", 'steps.source_id']) }}
            else {{ dbt.concat(["'CONVERSION:'", 'steps.source_id']) }}
        end as journey_id,
        steps.step_number,
        steps.channel,
        steps.next_channel,
        steps.step_number = steps.journey_steps as is_last_step,
        steps.conversion_kind is not null as is_converting,
        steps.conversion_value as value,
        case
            when steps.conversion_kind is null or steps.conversion_kind = 'CONTACT_CREATE'
                then steps.source_id
        end as contact_id,
        steps.first_touch_at,
        steps.converted_at,
        steps.journey_touchpoints
    from steps
    left join non_converting_contacts
        on
            steps.conversion_kind is null
            and steps.source_id = non_converting_contacts.contact_id
    where steps.conversion_kind is not null or non_converting_contacts.contact_id is not null

)

select * from final
