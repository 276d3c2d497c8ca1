{#- Campaign figures per campaign × day (var('reporting_timezone')): sessions,
    new contacts by first and last touch, influenced contacts on the day of
    their first influence, and spend. Only days with activity have a row; the
    days of a campaign add up to campaign_overview. -#}
with metric_events as (

    select * from {{ ref('int_campaign_metric_events_unioned') }}

),

dim_campaigns as (

    select * from {{ ref('dim_campaigns') }}

),

daily_figures as (

    select
        campaign_id,
        activity_date,
        count(*) filter (where metric_name = 'SESSIONS') as sessions,
        count(*) filter (
            where metric_name = 'NEW_CONTACTS_FIRST_TOUCH'
        ) as new_contacts_first_touch,
        count(*) filter (where metric_name = 'NEW_CONTACTS_LAST_TOUCH') as new_contacts_last_touch,
        count(*) filter (where metric_name = 'INFLUENCED_CONTACTS') as influenced_contacts,
        cast(coalesce(sum(metric_value) filter (where metric_name = 'SPEND'), 0) as decimal(18, 2))
            as spend
    from metric_events
    group by campaign_id, activity_date

),

final as (

    select
        daily_figures.campaign_id,
        dim_campaigns.campaign_name,
        daily_figures.activity_date,
        daily_figures.sessions,
        daily_figures.new_contacts_first_touch,
        daily_figures.new_contacts_last_touch,
        daily_figures.influenced_contacts,
        daily_figures.spend
    from daily_figures
    left join dim_campaigns
        on daily_figures.campaign_id = dim_campaigns.campaign_id

)

select * from final
