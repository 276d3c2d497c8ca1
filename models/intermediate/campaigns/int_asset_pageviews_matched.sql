{#- One row per page view (at or before as-of) of a campaign's web asset: the
    normalised URLs are equal. The whole history is kept for the asset reports;
    `is_campaign_activity` marks the views at or after the asset's association,
    the only ones that count for the campaign. Only the columns its readers use
    (the page view's own are in int_pageviews_normalized).

    The URLs are matched before the page views: each distinct page-view URL is
    cut at its query (macro url_before_query), each distinct cut URL
    normalised (normalize_cut_url: normalize_url's regular expressions, as
    int_pageviews_normalized runs them) and matched with the web assets once,
    and the page views (their normalised URL unread) are joined on the raw URL
    to the matching ones only - not every page view joined to its normalised
    URL, then to the assets. -#}
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

-- one row per distinct page-view URL, with the URL cut at its query or
-- fragment (plain string functions); planned on its own, read twice
page_urls as {{ materialized() }} (

    select
        url,
        {{ url_before_query('url') }} as url_cut
    from (
        select url
        from pageviews
        group by url
    ) as distinct_urls

),

-- the regular expressions run once per distinct cut URL (far fewer than the
-- URLs: campaign links differ only in their query), matched with the assets
cut_assets as (

    select
        cut_urls.url_cut,
        web_assets.campaign_id,
        web_assets.asset_type,
        web_assets.asset_id,
        web_assets.associated_at
    from (
        select
            url_cut,
            {{ normalize_cut_url('url_cut') }} as url_normalized
        from (
            select url_cut
            from page_urls
            group by url_cut
        ) as distinct_cuts
    ) as cut_urls
    inner join web_assets
        on cut_urls.url_normalized = web_assets.asset_url_normalized

),

-- one row per distinct page-view URL × web asset it names; planned on its
-- own, so that the page views are joined to its rows only
asset_urls as {{ materialized() }} (

    select
        page_urls.url,
        cut_assets.campaign_id,
        cut_assets.asset_type,
        cut_assets.asset_id,
        cut_assets.associated_at
    from page_urls
    inner join cut_assets
        on page_urls.url_cut = cut_assets.url_cut

),

final as (

    select
        asset_urls.campaign_id,
        asset_urls.asset_type,
        asset_urls.asset_id,
        pageviews.pageview_id,
        pageviews.session_id,
        sessions.contact_id,
        sessions.is_new_visitor_session,
        pageviews.viewed_at >= asset_urls.associated_at as is_campaign_activity,
        sessions.started_at as session_started_at
    from pageviews
    inner join asset_urls
        on pageviews.url = asset_urls.url
    inner join sessions
        on pageviews.session_id = sessions.session_id

)

select * from final
