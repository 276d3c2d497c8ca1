{#- The one model that computes attribution (campaigns.md, "Attribution"): for
    every conversion of the three kinds, its pool of touchpoints, their roles
    (first, last, lead, deal, won) and the share of each of the nine models,
    split 1/k over the k campaigns a touchpoint belongs to (one row with a null
    campaign when it belongs to none). Set-based: the pool is an equi-join of a
    conversion's contacts with their touchpoints; roles and sums come from two
    aggregates per conversion, joined back on a bigint key of the conversion
    (attribution_conversion_key; no window: a window sorts the wide pool
    rows). Wide: one row per conversion × touchpoint ×
    campaign, with the nine models' shares and credited values as columns
    (share_<model>, credited_value_<model>), so that nothing multiplies the pool
    by nine; the mart attribution_credits unpivots it to one row per model.
    Zero shares (e.g. the middle touchpoints under FIRST_INTERACTION) are kept
    so that every model lists the whole path. -#}
{#- Kept in the file, never in the build's scratch database: the mart view
    attribution_credits reads it. -#}
{{ config(
    database=target.get('database'),
) }}
{%- set lookback_days = var('attribution_lookback_days', none) -%}

-- inlined: each branch reads only the rows and columns it needs
with touchpoints as {{ not_materialized() }} (

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
    -- `attribution_lookback_days` set the instant that many days before it;
    -- and a narrow key of the conversion for the aggregates and joins below
    select
        *,
        {{ attribution_conversion_key() }} as conversion_key,
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

    -- one row per touchpoint: a touchpoint in k > 1 campaigns (few) has k rows
    -- upstream, folded here and unfolded again in final; the others keep
    -- their campaign
    select
        touchpoint_id,
        campaign_id,
        contact_id,
        touchpoint_type,
        channel,
        campaign_count,
        occurred_at
    from touchpoints
    where campaign_count <= 1
    union all
    select
        touchpoint_id,
        cast(null as {{ dbt.type_string() }}) as campaign_id,
        contact_id,
        touchpoint_type,
        channel,
        campaign_count,
        occurred_at
    from touchpoints
    where campaign_count > 1
    group by touchpoint_id, contact_id, touchpoint_type, channel, campaign_count, occurred_at

),

conversion_pool_contacts as {{ materialized() }} (

    -- one row per conversion × contact of its pool, with the conversion's
    -- window: joined before the touchpoints, so that the touchpoint join is on
    -- the contact alone and keeps only those in the window
    select
        conversion_windows.conversion_key,
        conversion_windows.conversion_kind,
        conversion_windows.conversion_id,
        conversion_contacts.contact_id,
        conversion_windows.conversion_value,
        conversion_windows.converted_at,
        conversion_windows.window_start_at,
        conversion_windows.lead_cutoff_at,
        conversion_windows.deal_cutoff_at,
        conversion_windows.won_cutoff_at
    from conversion_windows
    inner join conversion_contacts
        on
            conversion_windows.conversion_kind = conversion_contacts.conversion_kind
            and conversion_windows.conversion_id = conversion_contacts.conversion_id

),

pools as {{ materialized() }} (

    -- the touchpoints of the conversion's contacts at or before the conversion
    -- (and, with a lookback, at or after the window's start: both ends count);
    -- computed once (the conversion key must not be numbered twice)
    select
        conversion_pool_contacts.conversion_key,
        conversion_pool_contacts.conversion_kind,
        conversion_pool_contacts.conversion_id,
        pool_touchpoints.touchpoint_id,
        pool_touchpoints.campaign_id,
        pool_touchpoints.contact_id,
        pool_touchpoints.touchpoint_type,
        pool_touchpoints.channel,
        pool_touchpoints.campaign_count,
        conversion_pool_contacts.conversion_value,
        {{ dbt.datediff(
            'pool_touchpoints.occurred_at', 'conversion_pool_contacts.converted_at', 'second'
        ) }} as seconds_before_conversion,
        pool_touchpoints.occurred_at,
        conversion_pool_contacts.converted_at,
        conversion_pool_contacts.lead_cutoff_at,
        conversion_pool_contacts.deal_cutoff_at,
        conversion_pool_contacts.won_cutoff_at
    from conversion_pool_contacts
    inner join pool_touchpoints
        on
            conversion_pool_contacts.contact_id = pool_touchpoints.contact_id
            and conversion_pool_contacts.converted_at >= pool_touchpoints.occurred_at
            and (
                conversion_pool_contacts.window_start_at is null
                or conversion_pool_contacts.window_start_at <= pool_touchpoints.occurred_at
            )

),

pool_bounds as (

    -- per conversion: the pool's size, the distance of its latest touchpoint,
    -- and the instants of its first and last touchpoints and of the last at or
    -- before each role's cutoff (lead, deal, won: the earliest contact's
    -- creation, the deal's creation, the close)
    select
        conversion_key,
        count(*) as pool_size,
        min(seconds_before_conversion) as min_seconds_before_conversion,
        min(occurred_at) as first_at,
        max(occurred_at) as last_at,
        max(occurred_at) filter (where occurred_at <= lead_cutoff_at) as lead_at,
        max(occurred_at) filter (where occurred_at <= deal_cutoff_at) as deal_at,
        max(occurred_at) filter (where occurred_at <= won_cutoff_at) as won_at
    from pools
    group by conversion_key

),

bounded as (

    select
        pools.conversion_key,
        pools.touchpoint_id,
        pools.occurred_at,
        pool_bounds.pool_size,
        pool_bounds.min_seconds_before_conversion,
        pool_bounds.first_at,
        pool_bounds.last_at,
        pool_bounds.lead_at,
        pool_bounds.deal_at,
        pool_bounds.won_at,
        {{ attribution_decay_weight(
            'pools.seconds_before_conversion', 'pool_bounds.min_seconds_before_conversion'
        ) }} as decay_weight
    from pools
    inner join pool_bounds
        on pools.conversion_key = pool_bounds.conversion_key

),

pool_roles as (

    -- the touchpoint holding each role: the pool's order (occurred_at,
    -- touchpoint_id) is total (a touchpoint is in a pool once), so at the
    -- instant of a role the smallest id is first, the largest last (or lead,
    -- deal, won); and the exact total of the decay weights (a plain sum of
    -- doubles depends on the order the rows are added in)
    select
        conversion_key,
        max(pool_size) as pool_size,
        max(min_seconds_before_conversion) as min_seconds_before_conversion,
        min(touchpoint_id) filter (where occurred_at = first_at) as first_touchpoint_id,
        max(touchpoint_id) filter (where occurred_at = last_at) as last_touchpoint_id,
        max(touchpoint_id) filter (where occurred_at = lead_at) as lead_touchpoint_id,
        max(touchpoint_id) filter (where occurred_at = deal_at) as deal_touchpoint_id,
        max(touchpoint_id) filter (where occurred_at = won_at) as won_touchpoint_id,
        {{ exact_sum('decay_weight') }} as decay_weight_total
    from bounded
    group by conversion_key

),

pool_counts as (

    select
        *,
        -- per role set: the touchpoints of the pool that hold none of its roles
        {{ attribution_others_counts() }}
    from pool_roles

),

held_roles as (

    select
        pools.conversion_kind,
        pools.conversion_id,
        pools.touchpoint_id,
        pools.campaign_id,
        pools.contact_id,
        pools.touchpoint_type,
        pools.channel,
        pools.campaign_count,
        pools.conversion_value,
        pool_counts.pool_size,
        pools.touchpoint_id = pool_counts.first_touchpoint_id as is_first_touch,
        pools.touchpoint_id = pool_counts.last_touchpoint_id as is_last_touch,
        coalesce(pools.touchpoint_id = pool_counts.lead_touchpoint_id, false) as is_lead_touch,
        coalesce(pools.touchpoint_id = pool_counts.deal_touchpoint_id, false) as is_deal_touch,
        coalesce(pools.touchpoint_id = pool_counts.won_touchpoint_id, false) as is_won_touch,
        case when pool_counts.lead_touchpoint_id is not null then 1 else 0 end as has_lead_touch,
        case when pool_counts.deal_touchpoint_id is not null then 1 else 0 end as has_deal_touch,
        case when pool_counts.won_touchpoint_id is not null then 1 else 0 end as has_won_touch,
        {{ attribution_decay_weight(
            'pools.seconds_before_conversion', 'pool_counts.min_seconds_before_conversion'
        ) }} as decay_weight,
        pool_counts.decay_weight_total,
        {%- for column in attribution_role_sets()['columns'] %}
        pool_counts.{{ column }},
        {%- endfor %}
        pools.occurred_at,
        pools.converted_at
    from pools
    inner join pool_counts
        on pools.conversion_key = pool_counts.conversion_key

),

shares as (

    -- the numerator and denominator of every model's share (divided once in
    -- final: exact for the role models)
    select
        conversion_kind,
        conversion_id,
        touchpoint_id,
        campaign_id,
        contact_id,
        touchpoint_type,
        channel,
        campaign_count,
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

-- the campaigns of the touchpoints folded in pool_touchpoints
memberships as (

    select
        touchpoint_id,
        campaign_id
    from touchpoints
    where campaign_count > 1

),

final as (

    -- a touchpoint in k campaigns gives each of them 1/k of its share
    select
        shares.conversion_kind,
        shares.conversion_id,
        shares.touchpoint_id,
        coalesce(memberships.campaign_id, shares.campaign_id) as campaign_id,
        shares.contact_id,
        shares.touchpoint_type,
        shares.channel,
        shares.campaign_count,
        shares.pool_size,
        shares.conversion_value,
        {{ attribution_share_columns(
            'shares', 'shares.campaign_count', 'shares.conversion_value'
        ) }},
        shares.is_first_touch,
        shares.is_last_touch,
        shares.is_lead_touch,
        shares.is_deal_touch,
        shares.is_won_touch,
        shares.occurred_at,
        shares.converted_at
    from shares
    left join memberships
        on
            shares.campaign_count > 1
            and shares.touchpoint_id = memberships.touchpoint_id

)

select * from final
