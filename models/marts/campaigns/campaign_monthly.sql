{#- Campaign figures per campaign × month (var('reporting_timezone')): sessions,
    new contacts by first and last touch, influenced contacts in the month of
    their first influence, and spend. Only months with activity have a row; the
    months of a campaign add up to campaign_overview. -#}
with metric_events as (

    select * from {{ ref('int_campaign_metric_events_unioned') }}

),

dim_campaigns as (

    select * from {{ ref('dim_campaigns') }}

),

monthly_events as (

    select
        campaign_id,
        metric_name,
        metric_value,
        cast({{ dbt.date_trunc('month', 'activity_date') }} as date) as activity_month
    from metric_events

),

monthly_figures as (

    select
        campaign_id,
        activity_month,
        count(*) filter (where metric_name = 'SESSIONS') as sessions,
        count(*) filter (
            where metric_name = 'NEW_CONTACTS_FIRST_TOUCH'
        ) as new_contacts_first_touch,
        count(*) filter (where metric_name = 'NEW_CONTACTS_LAST_TOUCH') as new_contacts_last_touch,
        count(*) filter (where metric_name = 'INFLUENCED_CONTACTS') as influenced_contacts,
        cast(coalesce(sum(metric_value) filter (where metric_name = 'SPEND'), 0) as decimal(18, 2))
            as spend
    from monthly_events
    group by campaign_id, activity_month

),

final as (

    select
        monthly_figures.campaign_id,
        dim_campaigns.campaign_name,
        monthly_figures.activity_month,
        monthly_figures.sessions,
        monthly_figures.new_contacts_first_touch,
        monthly_figures.new_contacts_last_touch,
        monthly_figures.influenced_contacts,
        monthly_figures.spend
    from monthly_figures
    left join dim_campaigns
        on monthly_figures.campaign_id = dim_campaigns.campaign_id

)

select * from final
