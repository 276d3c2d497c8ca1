{#- One row per campaign that reaches the marts, with the key its tracking
    URLs carry (`utm_campaign`, trimmed and lower-cased) and its goals.

    A campaign rejected by the raw checks (e.g. an unknown owner) is kept out,
    but its usable assets and spend rows are not rejected in turn
    (campaigns.md, "Rejected rows"): the campaign keeps a row here with its key
    only - name, utm_campaign, goals, budget and dates null - so that what its
    assets and spend record still counts, under its campaign_id. -#}
with campaigns as (

    select * from {{ staged_rows('campaigns') }} as campaigns

),

campaign_assets as (

    select * from {{ staged_rows('campaign_assets') }} as campaign_assets

),

campaign_spend as (

    select * from {{ staged_rows('campaign_spend') }} as campaign_spend

),

named_campaigns as (

    select campaign_assets.campaign_id from campaign_assets
    union all
    select campaign_spend.campaign_id from campaign_spend

),

known_only_by_key as (

    select named_campaigns.campaign_id
    from named_campaigns
    left join campaigns
        on named_campaigns.campaign_id = campaigns.campaign_id
    where campaigns.campaign_id is null
    group by named_campaigns.campaign_id

),

usable as (

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

),

key_only as (

    select
        campaign_id,
        cast(null as {{ dbt.type_string() }}) as campaign_name,
        cast(null as {{ dbt.type_string() }}) as utm_campaign,
        cast(null as {{ dbt.type_string() }}) as utm_campaign_key,
        cast(null as {{ dbt.type_int() }}) as goal_sessions,
        cast(null as {{ dbt.type_int() }}) as goal_new_contacts,
        cast(null as {{ dbt.type_int() }}) as goal_influenced_contacts,
        cast(null as decimal(18, 2)) as budget_amount,
        cast(null as date) as start_date,
        cast(null as date) as end_date,
        cast(null as timestamp) as created_at
    from known_only_by_key

),

final as (

    select * from usable
    union all
    select * from key_only

)

select * from final
