{#- Grain: one row per page view at or before as-of, with its URL normalised
    for matching web assets.

    A view, not a copy of the page views: int_web_sessions_classified counts
    them per session (the URL join below is a left join on distinct URLs, so
    an engine drops it there) and int_asset_pageviews_matched reads them once.
    The regular expressions run once per distinct URL. -#}
{{ config(materialized='view') }}

with pageviews as (

    select * from {{ staged_rows('pageviews') }} as pageviews

),

as_of as (

    select * from {{ ref('int_as_of') }}

),

pageviews_in_range as (

    select pageviews.*
    from pageviews
    cross join as_of
    where pageviews.viewed_at <= as_of.as_of

),

-- the regular expressions run once per distinct URL of the staged page views
-- (those in range among them). Read apart from the CTEs above, and grouped by
-- url, so that an engine sees one row per URL and drops the join below where
-- url_normalized is not read (a view keeps no CTE materialisation hints).
urls_normalized as (

    select
        url,
        {{ normalize_url('url') }} as url_normalized
    from {{ staged_rows('pageviews') }} as staged_pageviews
    group by url

),

final as (

    select
        pageviews_in_range.pageview_id,
        pageviews_in_range.session_id,
        pageviews_in_range.visitor_id,
        pageviews_in_range.url,
        urls_normalized.url_normalized,
        pageviews_in_range.viewed_at
    from pageviews_in_range
    -- every URL is in urls_normalized once (url is never null): a left join
    -- keeps every page view and can be dropped where url_normalized is not read
    left join urls_normalized
        on pageviews_in_range.url = urls_normalized.url

)

select * from final
