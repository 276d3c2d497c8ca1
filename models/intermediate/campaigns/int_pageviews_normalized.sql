{#- Grain: one row per page view at or before as-of, with its URL normalised
    for matching web assets.

    A view, not a copy of the page views: int_web_sessions_classified counts
    them per session and int_asset_pageviews_matched joins them to the web
    assets' URLs. url_normalized is an expression on the row, so an engine
    computes it only where it is read: neither reader does at scale
    (int_asset_pageviews_matched normalises each distinct URL once and joins
    the page views on the raw URL). -#}
{{ config(materialized='view') }}

with pageviews as (

    select * from {{ staged_rows('pageviews') }} as pageviews

),

as_of as (

    select * from {{ ref('int_as_of') }}

),

final as (

    select
        pageviews.pageview_id,
        pageviews.session_id,
        pageviews.visitor_id,
        pageviews.url,
        {{ normalize_url('pageviews.url') }} as url_normalized,
        pageviews.viewed_at
    from pageviews
    cross join as_of
    where pageviews.viewed_at <= as_of.as_of

)

select * from final
