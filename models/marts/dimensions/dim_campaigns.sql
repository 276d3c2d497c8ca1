{#- One row per campaign that reaches the marts (rows rejected by the raw
    checks, e.g. naming an unknown owner, are kept out): its name and every
    attribute of the raw table, with the owner's name. -#}
with campaigns as (

    select * from {{ staged_rows('campaigns') }} as campaigns

),

users as (

    select * from {{ staged_rows('users') }} as users

),

final as (

    select
        campaigns.campaign_id,
        campaigns.name as campaign_name,
        campaigns.utm_campaign,
        campaigns.owner_user_id,
        users.full_name as owner_user_name,
        campaigns.budget_amount,
        campaigns.goal_sessions,
        campaigns.goal_new_contacts,
        campaigns.goal_influenced_contacts,
        campaigns.start_date,
        campaigns.end_date,
        campaigns.created_at
    from campaigns
    left join users
        on campaigns.owner_user_id = users.user_id

)

select * from final
