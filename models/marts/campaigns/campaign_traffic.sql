{#- HubSpot's traffic report: sessions of every visitor (anonymous ones too)
    whose `utm_campaign` is the campaign's, per campaign × source category. Every
    campaign × category has a `(all)` row (zeros included); the drill-downs add
    a row per paid-search term, social platform and other campaigns' source /
    medium. -#}
{%- set categories = source_category_rules()['categories'] -%}

with campaigns as (

    select * from {{ ref('int_campaigns_prepared') }}

),

utm_sessions as (

    select * from {{ ref('int_campaign_utm_sessions_matched') }}

),

dim_campaigns as (

    select * from {{ ref('dim_campaigns') }}

),

source_categories as (

    {%- for category in categories %}
    select '{{ category }}' as source_category
    {{- "\n    union all" if not loop.last }}
    {%- endfor %}

),

category_totals as (

    select
        campaign_id,
        source_category,
        sum(pageviews) as views,
        count(*) as sessions,
        count(*) filter (where is_new_visitor_session) as new_visitor_sessions,
        count(*) filter (where is_first_contact_session) as new_contacts_first_touch
    from utm_sessions
    group by campaign_id, source_category

),

detail_totals as (

    select
        campaign_id,
        source_category,
        source_detail,
        sum(pageviews) as views,
        count(*) as sessions,
        count(*) filter (where is_new_visitor_session) as new_visitor_sessions,
        count(*) filter (where is_first_contact_session) as new_contacts_first_touch
    from utm_sessions
    where source_detail is not null
    group by campaign_id, source_category, source_detail

),

all_rows as (

    select
        campaigns.campaign_id,
        source_categories.source_category,
        '(all)' as source_detail,
        coalesce(category_totals.views, 0) as views,
        coalesce(category_totals.sessions, 0) as sessions,
        coalesce(category_totals.new_visitor_sessions, 0) as new_visitor_sessions,
        coalesce(category_totals.new_contacts_first_touch, 0) as new_contacts_first_touch
    from campaigns
    cross join source_categories
    left join category_totals
        on
            campaigns.campaign_id = category_totals.campaign_id
            and source_categories.source_category = category_totals.source_category

),

traffic_rows as (

    select
        campaign_id,
        source_category,
        source_detail,
        cast(views as bigint) as views,
        sessions,
        new_visitor_sessions,
        new_contacts_first_touch
    from all_rows

    union all

    select
        campaign_id,
        source_category,
        source_detail,
        cast(views as bigint) as views,
        sessions,
        new_visitor_sessions,
        new_contacts_first_touch
    from detail_totals

),

final as (

    select
        traffic_rows.campaign_id,
        dim_campaigns.campaign_name,
        traffic_rows.source_category,
        traffic_rows.source_detail,
        traffic_rows.views,
        traffic_rows.sessions,
        traffic_rows.new_visitor_sessions,
        traffic_rows.new_contacts_first_touch
    from traffic_rows
    left join dim_campaigns
        on traffic_rows.campaign_id = dim_campaigns.campaign_id

)

select * from final
