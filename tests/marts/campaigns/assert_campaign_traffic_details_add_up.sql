{#- In campaign_traffic the drill-down rows of PAID_SEARCH, ORGANIC_SOCIAL and
    OTHER_CAMPAIGNS add up to their `(all)` row (every session has exactly one
    detail there), and the `(all)` rows of a campaign add up to its utm-matched
    sessions. Returns the rows that do not. -#}
with traffic as (

    select * from {{ ref('campaign_traffic') }}

),

utm_sessions as (

    select * from {{ ref('int_campaign_utm_sessions_matched') }}

),

category_rows as (

    select *
    from traffic
    where source_detail = '(all)'

),

detail_totals as (

    select
        campaign_id,
        source_category,
        sum(views) as views,
        sum(sessions) as sessions,
        sum(new_visitor_sessions) as new_visitor_sessions,
        sum(new_contacts_first_touch) as new_contacts_first_touch
    from traffic
    where source_detail <> '(all)'
    group by campaign_id, source_category

),

detail_mismatches as (

    select
        category_rows.campaign_id,
        category_rows.source_category,
        'drill-downs do not add up to (all)' as problem
    from category_rows
    left join detail_totals
        on
            category_rows.campaign_id = detail_totals.campaign_id
            and category_rows.source_category = detail_totals.source_category
    where
        category_rows.source_category in ('PAID_SEARCH', 'ORGANIC_SOCIAL', 'OTHER_CAMPAIGNS')
        and (
            category_rows.views <> coalesce(detail_totals.views, 0)
            or category_rows.sessions <> coalesce(detail_totals.sessions, 0)
            or category_rows.new_visitor_sessions <> coalesce(detail_totals.new_visitor_sessions, 0)
            or category_rows.new_contacts_first_touch
            <> coalesce(detail_totals.new_contacts_first_touch, 0)
        )

),

campaign_sessions as (

    select
        campaign_id,
        count(*) as sessions
    from utm_sessions
    group by campaign_id

),

category_totals as (

    select
        campaign_id,
        sum(sessions) as sessions
    from category_rows
    group by campaign_id

),

total_mismatches as (

    select
        category_totals.campaign_id,
        '(all)' as source_category,
        'categories do not add up to the utm sessions' as problem
    from category_totals
    left join campaign_sessions
        on category_totals.campaign_id = campaign_sessions.campaign_id
    where category_totals.sessions <> coalesce(campaign_sessions.sessions, 0)

),

final as (

    select * from detail_mismatches
    union all
    select * from total_mismatches

)

select * from final
