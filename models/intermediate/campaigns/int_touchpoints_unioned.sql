{#- The only source of interactions for the campaign marts: one row per
    touchpoint (an interaction of an identified contact at or before as-of) ×
    campaign it belongs to, or one row with a null campaign when it belongs to
    none. `touchpoint_id` is `<type>:<id of the source row>`; `campaign_count`
    (k) is the number of campaigns it belongs to, each receiving 1/k of its
    credit. Campaign membership follows campaigns.md's table. k is counted on
    the narrow memberships, with the campaign of a touchpoint in one, and
    joined once (not windowed over the wide rows); only the few touchpoints in
    k > 1 campaigns join their memberships again to unfold. The id
    of the source row is not stored apart: it is `touchpoint_id` after the
    type and ':' (attribution_touchpoints shows it). -#}
{#- Kept in the file, never in the build's scratch database: the mart view
    attribution_touchpoints reads it. -#}
{{ config(
    database=target.get('database'),
) }}
{#- the interaction types that are touchpoints (campaigns.md's table) -#}
{%- set touchpoint_interaction_types = "'FORM_SUBMISSION', 'MARKETING_EMAIL_OPEN', "
    ~ "'MARKETING_EMAIL_CLICK', 'AD_CLICK', 'SOCIAL_CLICK', 'CTA_CLICK'" -%}
with sessions as (

    select * from {{ ref('int_web_sessions_classified') }}

),

asset_pageviews as (

    select * from {{ ref('int_asset_pageviews_matched') }}

),

utm_sessions as (

    select * from {{ ref('int_campaign_utm_sessions_matched') }}

),

-- inlined: each branch reads only the interactions and columns it needs
interactions as {{ not_materialized() }} (

    select * from {{ ref('int_asset_interactions_unioned') }}

),

campaign_assets as (

    select * from {{ ref('int_campaign_assets_prepared') }}

),

meetings as (

    select * from {{ staged_rows('meetings') }} as meetings

),

as_of as (

    select * from {{ ref('int_as_of') }}

),

session_touchpoints as (

    select
        'SESSION' as touchpoint_type,
        session_id as source_id,
        contact_id,
        source_category as channel,
        started_at as occurred_at
    from sessions
    where contact_id is not null

),

interaction_touchpoints as (

    select
        interaction_type as touchpoint_type,
        interaction_id as source_id,
        contact_id,
        case interaction_type
            when 'FORM_SUBMISSION' then 'FORM'
            when 'MARKETING_EMAIL_OPEN' then 'EMAIL_MARKETING'
            when 'MARKETING_EMAIL_CLICK' then 'EMAIL_MARKETING'
            when 'AD_CLICK' then 'PAID_ADS'
            when 'SOCIAL_CLICK' then 'ORGANIC_SOCIAL'
            when 'CTA_CLICK' then 'CTA'
        end as channel,
        occurred_at
    from interactions
    where
        contact_id is not null
        and interaction_type in ({{ touchpoint_interaction_types }})

),

meeting_touchpoints as (

    select
        'MEETING' as touchpoint_type,
        meetings.meeting_id as source_id,
        meetings.contact_id,
        'SALES' as channel,
        meetings.booked_at as occurred_at
    from meetings
    cross join as_of
    where meetings.booked_at <= as_of.as_of

),

touchpoints as (

    select * from session_touchpoints
    union all
    select * from interaction_touchpoints
    union all
    select * from meeting_touchpoints

),

session_asset_campaigns as (

    select
        'SESSION' as touchpoint_type,
        session_id as source_id,
        campaign_id
    from asset_pageviews
    where is_campaign_activity and contact_id is not null

),

session_utm_campaigns as (

    select
        'SESSION' as touchpoint_type,
        session_id as source_id,
        campaign_id
    from utm_sessions
    where contact_id is not null

),

interaction_campaigns as (

    select
        interactions.interaction_type as touchpoint_type,
        interactions.interaction_id as source_id,
        campaign_assets.campaign_id
    from interactions
    inner join campaign_assets
        on
            interactions.asset_type = campaign_assets.asset_type
            and interactions.asset_id = campaign_assets.asset_id
            and interactions.occurred_at >= campaign_assets.associated_at
    where
        interactions.contact_id is not null
        and interactions.interaction_type in ({{ touchpoint_interaction_types }})

),

session_campaigns as (

    -- `union` (not `union all`): a session that both viewed a campaign's asset
    -- and carries its utm_campaign belongs to the campaign once
    select * from session_asset_campaigns
    union
    select * from session_utm_campaigns

),

touchpoint_campaigns as {{ materialized() }} (

    -- an interaction's campaigns are distinct already (one asset, a campaign's
    -- assets are distinct)
    select * from session_campaigns
    union all
    select * from interaction_campaigns

),

campaign_counts as (

    -- per touchpoint with a campaign: k, and its campaign when k = 1
    select
        touchpoint_type,
        source_id,
        count(campaign_id) as campaign_count,
        min(campaign_id) as campaign_id
    from touchpoint_campaigns
    group by touchpoint_type, source_id

),

-- the campaigns of the touchpoints in k > 1 campaigns (few)
memberships as (

    select
        touchpoint_campaigns.touchpoint_type,
        touchpoint_campaigns.source_id,
        touchpoint_campaigns.campaign_id
    from touchpoint_campaigns
    inner join campaign_counts
        on
            touchpoint_campaigns.touchpoint_type = campaign_counts.touchpoint_type
            and touchpoint_campaigns.source_id = campaign_counts.source_id
    where campaign_counts.campaign_count > 1

),

final as (

    -- one join for k and the only campaign; a touchpoint in k > 1 campaigns
    -- is unfolded to one row each
    select
        {{ dbt.concat(['touchpoints.touchpoint_type', "':'", 'touchpoints.source_id']) }}
            as touchpoint_id,
        coalesce(memberships.campaign_id, campaign_counts.campaign_id) as campaign_id,
        touchpoints.contact_id,
        touchpoints.touchpoint_type,
        touchpoints.channel,
        coalesce(campaign_counts.campaign_count, 0) as campaign_count,
        touchpoints.occurred_at
    from touchpoints
    left join campaign_counts
        on
            touchpoints.touchpoint_type = campaign_counts.touchpoint_type
            and touchpoints.source_id = campaign_counts.source_id
    left join memberships
        on
            campaign_counts.campaign_count > 1
            and touchpoints.touchpoint_type = memberships.touchpoint_type
            and touchpoints.source_id = memberships.source_id

)

select * from final
