{#- One row per campaign that reaches the marts, with the key its tracking
    URLs carry (`utm_campaign`, trimmed and lower-cased) and its goals. -#}
with campaigns as (

    select * from {{ staged_rows('campaigns') }} as campaigns

),

final as (

    select
        campaign_id,
        name as campaign_name,
        utm_campaign,
        {{ normalize_utm_value('utm_campaign') }} as utm_campaign_key,
        goal_sessions,
        goal_new_contacts,
        goal_influenced_contacts,
        budget_amount,
        start_date,
        end_date,
        created_at
    from campaigns

)

select * from final
