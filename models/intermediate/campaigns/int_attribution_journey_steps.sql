-- STUB (helper M, branch dd-model): a stand-in for helper J's model of the same
-- name and columns (branch dd-journeys), so that attribution_data_driven builds
-- before J's commit exists. Dropped when dd-journeys is merged.
-- grain: one row per (conversion_kind, journey_id, step_number)
with credits as (

    select * from {{ ref('int_attribution_credits_dealt') }}

),

touchpoints as (

    select * from {{ ref('int_touchpoints_unioned') }}

),

conversion_contacts as (

    select * from {{ ref('int_conversion_contacts_mapped') }}

),

converting_touchpoints as (

    select distinct
        credits.conversion_kind,
        'CONVERSION:' || credits.conversion_id as journey_id,
        credits.touchpoint_id,
        credits.channel,
        touchpoints.occurred_at,
        true as is_converting,
        credits.conversion_value as value
    from credits
    inner join touchpoints
        on credits.touchpoint_id = touchpoints.touchpoint_id

),

kinds as (

    select 'DEAL_CREATE' as conversion_kind
    union all
    select 'REVENUE' as conversion_kind

),

non_converting_touchpoints as (

    select distinct
        kinds.conversion_kind,
        'CONTACT:' || touchpoints.contact_id as journey_id,
        touchpoints.touchpoint_id,
        touchpoints.channel,
        touchpoints.occurred_at,
        false as is_converting,
        cast(null as decimal(18, 2)) as value
    from touchpoints
    cross join kinds
    left join conversion_contacts
        on
            touchpoints.contact_id = conversion_contacts.contact_id
            and kinds.conversion_kind = conversion_contacts.conversion_kind
    where conversion_contacts.contact_id is null

),

journey_touchpoints as (

    select * from converting_touchpoints
    union all
    select * from non_converting_touchpoints

),

flagged as (

    select
        *,
        case
            when
                channel = lag(channel) over (
                    partition by conversion_kind, journey_id
                    order by occurred_at, touchpoint_id
                )
                then 0
            else 1
        end as is_new_step
    from journey_touchpoints

),

numbered as (

    select
        *,
        sum(is_new_step) over (
            partition by conversion_kind, journey_id
            order by occurred_at, touchpoint_id
            rows between unbounded preceding and current row
        ) as step_number
    from flagged

),

steps as (

    select
        conversion_kind,
        journey_id,
        cast(step_number as integer) as step_number,
        max(channel) as channel,
        is_converting,
        value
    from numbered
    group by conversion_kind, journey_id, step_number, is_converting, value

),

final as (

    select
        conversion_kind,
        journey_id,
        step_number,
        channel,
        step_number = max(step_number) over (
            partition by conversion_kind, journey_id
        ) as is_last_step,
        is_converting,
        value
    from steps

)

select * from final
