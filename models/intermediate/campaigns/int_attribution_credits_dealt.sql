{#- The one model that computes attribution (campaigns.md, "Attribution"): for
    every conversion of the three kinds, its pool of touchpoints, their roles
    (first, last, lead, deal, won) and the share of each of the nine models,
    split 1/k over the k campaigns a touchpoint belongs to (one row with a null
    campaign when it belongs to none). Set-based: the pool is an equi-join of a
    conversion's contacts with their touchpoints, roles and sums are window
    functions over the pool. Wide: one row per conversion × touchpoint ×
    campaign, with the nine models' shares and credited values as columns
    (share_<model>, credited_value_<model>), so that nothing multiplies the pool
    by nine; the mart attribution_credits unpivots it to one row per model.
    Zero shares (e.g. the middle touchpoints under FIRST_INTERACTION) are kept
    so that every model lists the whole path. -#}
{%- set lookback_days = var('attribution_lookback_days', none) -%}
{%- set half_life_days = var('time_decay_half_life_days', 7) | float -%}

with touchpoints as (

    select * from {{ ref('int_touchpoints_unioned') }}

),

conversions as (

    select * from {{ ref('int_conversions_unioned') }}

),

conversion_contacts as (

    select * from {{ ref('int_conversion_contacts_mapped') }}

),

conversion_windows as (

    -- the attribution window: the conversion, and with
    -- `attribution_lookback_days` set the instant that many days before it
    select
        *,
        {%- if lookback_days is not none %}
        {{ dbt.dateadd(
            'second', (-(lookback_days | float) * 86400) | int, 'converted_at'
        ) }} as window_start_at
        {%- else %}
        cast(null as timestamp) as window_start_at
        {%- endif %}
    from conversions

),

pool_touchpoints as (

    select
        touchpoint_id,
        contact_id,
        occurred_at
    from touchpoints
    group by touchpoint_id, contact_id, occurred_at

),

pools as (

    -- the touchpoints of the conversion's contacts at or before the conversion
    -- (and, with a lookback, at or after the window's start: both ends count)
    select
        conversion_windows.conversion_kind,
        conversion_windows.conversion_id,
        pool_touchpoints.touchpoint_id,
        pool_touchpoints.contact_id,
        conversion_windows.conversion_value,
        {{ dbt.datediff(
            'pool_touchpoints.occurred_at', 'conversion_windows.converted_at', 'second'
        ) }} as seconds_before_conversion,
        pool_touchpoints.occurred_at,
        conversion_windows.converted_at,
        conversion_windows.lead_cutoff_at,
        conversion_windows.deal_cutoff_at,
        conversion_windows.won_cutoff_at
    from conversion_windows
    inner join conversion_contacts
        on
            conversion_windows.conversion_kind = conversion_contacts.conversion_kind
            and conversion_windows.conversion_id = conversion_contacts.conversion_id
    inner join pool_touchpoints
        on
            conversion_contacts.contact_id = pool_touchpoints.contact_id
            and conversion_windows.converted_at >= pool_touchpoints.occurred_at
            and (
                conversion_windows.window_start_at is null
                or conversion_windows.window_start_at <= pool_touchpoints.occurred_at
            )

),

ranked as (

    -- one ordered window: the position from the last; everything else is an
    -- unordered window aggregate over the same partition
    select
        *,
        row_number() over (
            partition by conversion_kind, conversion_id
            order by occurred_at desc, touchpoint_id desc
        ) as position_from_last,
        count(*) over (
            partition by conversion_kind, conversion_id
        ) as pool_size,
        min(seconds_before_conversion) over (
            partition by conversion_kind, conversion_id
        ) as min_seconds_before_conversion,
        sum(case when occurred_at <= lead_cutoff_at then 1 else 0 end) over (
            partition by conversion_kind, conversion_id
        ) as touchpoints_before_lead_cutoff,
        sum(case when occurred_at <= deal_cutoff_at then 1 else 0 end) over (
            partition by conversion_kind, conversion_id
        ) as touchpoints_before_deal_cutoff,
        sum(case when occurred_at <= won_cutoff_at then 1 else 0 end) over (
            partition by conversion_kind, conversion_id
        ) as touchpoints_before_won_cutoff
    from pools

),

roles as (

    -- first / last of the pool; lead, deal, won = the last at or before the
    -- earliest contact's creation, the deal's creation, the close. The pool's
    -- order (occurred_at, touchpoint_id) is total (a touchpoint is in a pool
    -- once), so the first is the last counted from the end, and the last at or
    -- before a cutoff comes right after the touchpoints past it.
    select
        conversion_kind,
        conversion_id,
        touchpoint_id,
        contact_id,
        conversion_value,
        pool_size,
        position_from_last = pool_size as is_first_touch,
        position_from_last = 1 as is_last_touch,
        coalesce(occurred_at <= lead_cutoff_at, false)
        and position_from_last = pool_size - touchpoints_before_lead_cutoff + 1 as is_lead_touch,
        coalesce(occurred_at <= deal_cutoff_at, false)
        and position_from_last = pool_size - touchpoints_before_deal_cutoff + 1 as is_deal_touch,
        coalesce(occurred_at <= won_cutoff_at, false)
        and position_from_last = pool_size - touchpoints_before_won_cutoff + 1 as is_won_touch,
        case when touchpoints_before_lead_cutoff > 0 then 1 else 0 end as has_lead_touch,
        case when touchpoints_before_deal_cutoff > 0 then 1 else 0 end as has_deal_touch,
        case when touchpoints_before_won_cutoff > 0 then 1 else 0 end as has_won_touch,
        -- 2^(-days before the conversion / half-life), taken relative to the
        -- pool's latest touchpoint (the same shares once normalised, and no
        -- underflow to zero for old touchpoints)
        power(
            cast(0.5 as {{ type_double() }}),
            cast(
                seconds_before_conversion - min_seconds_before_conversion
                as {{ type_double() }}
            ) / (86400 * {{ half_life_days }})
        ) as decay_weight,
        occurred_at,
        converted_at
    from ranked

),

held_roles as (

    select
        *,
        -- exact: a plain sum of doubles over a window depends on the row order
        {{ exact_sum('decay_weight', over='partition by conversion_kind, conversion_id') }}
            as decay_weight_total,
        -- per role set: the touchpoints of the pool that hold none of its roles
        {{ attribution_others_counts(over='partition by conversion_kind, conversion_id') }}
    from roles

),

shares as (

    -- the numerator and denominator of every model's share (divided once in
    -- final: exact for the role models)
    select
        conversion_kind,
        conversion_id,
        touchpoint_id,
        contact_id,
        conversion_value,
        pool_size,
        is_first_touch,
        is_last_touch,
        is_lead_touch,
        is_deal_touch,
        is_won_touch,
        occurred_at,
        converted_at,
        {{ attribution_share_terms() }}
    from held_roles

),

final as (

    -- a touchpoint in k campaigns gives each of them 1/k of its share
    select
        shares.conversion_kind,
        shares.conversion_id,
        shares.touchpoint_id,
        touchpoints.campaign_id,
        shares.contact_id,
        touchpoints.touchpoint_type,
        touchpoints.channel,
        touchpoints.campaign_count,
        shares.pool_size,
        shares.conversion_value,
        {{ attribution_share_columns(
            'shares', 'touchpoints.campaign_count', 'shares.conversion_value'
        ) }},
        shares.is_first_touch,
        shares.is_last_touch,
        shares.is_lead_touch,
        shares.is_deal_touch,
        shares.is_won_touch,
        shares.occurred_at,
        shares.converted_at
    from shares
    inner join touchpoints
        on shares.touchpoint_id = touchpoints.touchpoint_id

)

select * from final
