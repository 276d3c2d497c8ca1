{#- One row per activity on a campaign's asset, whole history up to as-of
    (association aside), for the asset report: page views of web assets (with
    their session), form submissions, non-bot marketing-email events and clicks
    on ads, social posts and calls-to-action (anonymous clicks included). -#}
with campaign_assets as (

    select * from {{ ref('int_campaign_assets_prepared') }}

),

asset_pageviews as (

    select * from {{ ref('int_asset_pageviews_matched') }}

),

interactions as (

    select * from {{ ref('int_asset_interactions_unioned') }}

),

pageview_activities as (

    select
        campaign_id,
        asset_type,
        asset_id,
        'PAGEVIEW' as activity_type,
        pageview_id as activity_id,
        session_id,
        contact_id,
        is_new_visitor_session,
        viewed_at as occurred_at
    from asset_pageviews

),

interaction_activities as (

    select
        campaign_assets.campaign_id,
        campaign_assets.asset_type,
        campaign_assets.asset_id,
        interactions.interaction_type as activity_type,
        interactions.interaction_id as activity_id,
        cast(null as {{ dbt.type_string() }}) as session_id,
        interactions.contact_id,
        cast(null as boolean) as is_new_visitor_session,
        interactions.occurred_at
    from interactions
    inner join campaign_assets
        on
            interactions.asset_type = campaign_assets.asset_type
            and interactions.asset_id = campaign_assets.asset_id

),

final as (

    select * from pageview_activities
    union all
    select * from interaction_activities

)

select * from final
