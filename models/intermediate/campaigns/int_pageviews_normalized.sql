{#- Grain: one row per page view at or before as-of, with its URL normalised
    for matching web assets (once per distinct URL).

    Incremental: the normalisation (regular expressions) depends on the row
    alone, so a build adds only the page views not in the table yet - new ones,
    and older ones whose session arrived only now (until then they were
    rejected as orphans). Rows never leave the table between full refreshes:
    a session, once staged, stays, and as-of only moves forward while the raw
    files only grow (a change of var as_of makes `gtm build` refresh fully). -#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    unique_key='pageview_id',
    on_schema_change='fail',
) }}

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

new_pageviews as (

    {{ incremental_new_rows(relation='pageviews_in_range', unique_key='pageview_id') }}

),

distinct_urls as (

    select distinct url
    from new_pageviews

),

-- the regular expressions run once per distinct URL, not once per page view
urls_normalized as (

    select
        url,
        {{ normalize_url('url') }} as url_normalized
    from distinct_urls

),

final as (

    select
        new_pageviews.pageview_id,
        new_pageviews.session_id,
        new_pageviews.visitor_id,
        new_pageviews.url,
        urls_normalized.url_normalized,
        new_pageviews.viewed_at
    from new_pageviews
    inner join urls_normalized
        on new_pageviews.url = urls_normalized.url

)

select * from final
