{#- One row per page view at or before as-of, with its URL normalised for
    matching web assets. -#}
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
