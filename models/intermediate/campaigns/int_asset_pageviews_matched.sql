{#- One row per page view (at or before as-of) of a campaign's web asset: the
    normalised URLs are equal. The whole history is kept for the asset reports;
    `is_campaign_activity` marks the views at or after the asset's association,
    the only ones that count for the campaign. Only the columns its readers use
    (the page view's own are in int_pageviews_normalized). -#}
with pageviews as (

    select * from {{ ref('int_pageviews_normalized') }}

),

sessions as (

    select * from {{ ref('int_web_sessions_classified') }}

),

campaign_assets as (

    select * from {{ ref('int_campaign_assets_prepared') }}

),

web_assets as (

    select *
    from campaign_assets
    where is_web_asset and asset_url_normalized is not null

),

final as (

    select
        web_assets.campaign_id,
        web_assets.asset_type,
        web_assets.asset_id,
        pageviews.pageview_id,
        pageviews.session_id,
        sessions.contact_id,
        sessions.is_new_visitor_session,
        pageviews.viewed_at >= web_assets.associated_at as is_campaign_activity,
        sessions.started_at as session_started_at
    from pageviews
    inner join web_assets
        on pageviews.url_normalized = web_assets.asset_url_normalized
    inner join sessions
        on pageviews.session_id = sessions.session_id

)

select * from final
