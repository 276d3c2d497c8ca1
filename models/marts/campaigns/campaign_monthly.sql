{#- Campaign figures per campaign × month (var('reporting_timezone')): sessions,
    new contacts by first and last touch, influenced contacts in the month of
    their first influence, and spend. Only months with activity have a row; the
    months of a campaign add up to campaign_overview.

    The sum of the campaign's days in campaign_daily (every event counts on
    exactly one day, so a month's figure is the sum of its days'), not a
    second pass over the metric events. -#}
with campaign_daily as (

    select * from {{ ref('campaign_daily') }}

),

monthly_days as (

    select
        campaign_id,
        campaign_name,
        cast({{ dbt.date_trunc('month', 'activity_date') }} as date) as activity_month,
        sessions,
        new_contacts_first_touch,
        new_contacts_last_touch,
        influenced_contacts,
        spend
    from campaign_daily

),

final as (

    select
        campaign_id,
        campaign_name,
        activity_month,
        cast(sum(sessions) as {{ dbt.type_bigint() }}) as sessions,
        cast(sum(new_contacts_first_touch) as {{ dbt.type_bigint() }})
            as new_contacts_first_touch,
        cast(sum(new_contacts_last_touch) as {{ dbt.type_bigint() }}) as new_contacts_last_touch,
        cast(sum(influenced_contacts) as {{ dbt.type_bigint() }}) as influenced_contacts,
        cast(sum(spend) as decimal(18, 2)) as spend
    from monthly_days
    group by campaign_id, campaign_name, activity_month

)

select * from final
