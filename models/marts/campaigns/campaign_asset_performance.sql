{#- One row per campaign asset with its figures over its whole history up to
    as-of (association aside). Figures that do not apply to the asset's type
    are null; bot events count in none of the email figures. -#}
with campaign_assets as (

    select * from {{ ref('int_campaign_assets_prepared') }}

),

activities as (

    select * from {{ ref('int_campaign_asset_activities_unioned') }}

),

asset_figures as (

    select
        campaign_id,
        asset_type,
        asset_id,
        count(*) filter (where activity_type = 'PAGEVIEW') as views,
        count(distinct session_id) as sessions,
        count(distinct case when is_new_visitor_session then session_id end)
            as new_visitor_sessions,
        count(*) filter (where activity_type = 'FORM_SUBMISSION') as submissions,
        count(distinct case when activity_type = 'FORM_SUBMISSION' then contact_id end)
            as submitting_contacts,
        count(distinct case when activity_type = 'MARKETING_EMAIL_SENT' then contact_id end)
            as email_sent,
        count(distinct case when activity_type = 'MARKETING_EMAIL_DELIVERED' then contact_id end)
            as email_delivered,
        count(distinct case when activity_type = 'MARKETING_EMAIL_OPEN' then contact_id end)
            as email_opens,
        count(distinct case when activity_type = 'MARKETING_EMAIL_CLICK' then contact_id end)
            as email_clicks,
        count(distinct case when activity_type = 'MARKETING_EMAIL_BOUNCE' then contact_id end)
            as email_bounces,
        count(distinct case when activity_type = 'MARKETING_EMAIL_UNSUBSCRIBE' then contact_id end)
            as email_unsubscribes,
        count(*) filter (where activity_type in ('AD_CLICK', 'SOCIAL_CLICK', 'CTA_CLICK'))
            as asset_clicks,
        count(
            distinct case
                when activity_type in ('AD_CLICK', 'SOCIAL_CLICK', 'CTA_CLICK') then contact_id
            end
        ) as clicking_contacts
    from activities
    group by campaign_id, asset_type, asset_id

),

joined as (

    select
        campaign_assets.campaign_id,
        campaign_assets.asset_type,
        campaign_assets.asset_id,
        campaign_assets.asset_name,
        campaign_assets.asset_url,
        campaign_assets.is_web_asset,
        campaign_assets.asset_type = 'FORM' as is_form,
        campaign_assets.asset_type = 'MARKETING_EMAIL' as is_marketing_email,
        campaign_assets.asset_type in ('AD', 'SOCIAL_POST', 'CTA') as is_clickable_asset,
        coalesce(asset_figures.views, 0) as views,
        coalesce(asset_figures.sessions, 0) as sessions,
        coalesce(asset_figures.new_visitor_sessions, 0) as new_visitor_sessions,
        coalesce(asset_figures.submissions, 0) as submissions,
        coalesce(asset_figures.submitting_contacts, 0) as submitting_contacts,
        coalesce(asset_figures.email_sent, 0) as email_sent,
        coalesce(asset_figures.email_delivered, 0) as email_delivered,
        coalesce(asset_figures.email_opens, 0) as email_opens,
        coalesce(asset_figures.email_clicks, 0) as email_clicks,
        coalesce(asset_figures.email_bounces, 0) as email_bounces,
        coalesce(asset_figures.email_unsubscribes, 0) as email_unsubscribes,
        coalesce(asset_figures.asset_clicks, 0) as asset_clicks,
        coalesce(asset_figures.clicking_contacts, 0) as clicking_contacts,
        campaign_assets.associated_at
    from campaign_assets
    left join asset_figures
        on
            campaign_assets.campaign_id = asset_figures.campaign_id
            and campaign_assets.asset_type = asset_figures.asset_type
            and campaign_assets.asset_id = asset_figures.asset_id

),

final as (

    select
        campaign_id,
        asset_type,
        asset_id,
        asset_name,
        asset_url,
        case when is_web_asset then views end as views,
        case when is_web_asset then sessions end as sessions,
        case when is_web_asset then new_visitor_sessions end as new_visitor_sessions,
        case when is_form then submissions end as submissions,
        case when is_form then submitting_contacts end as submitting_contacts,
        case when is_marketing_email then email_sent end as sent,
        case when is_marketing_email then email_delivered end as delivered,
        case when is_marketing_email then email_opens end as opens,
        case
            when is_marketing_email then email_clicks
            when is_clickable_asset then asset_clicks
        end as clicks,
        case when is_marketing_email then email_bounces end as bounces,
        case when is_marketing_email then email_unsubscribes end as unsubscribes,
        case
            when is_marketing_email then {{ safe_ratio('email_opens', 'email_delivered') }}
        end as open_rate,
        case
            when is_marketing_email then {{ safe_ratio('email_clicks', 'email_delivered') }}
        end as click_rate,
        case when is_clickable_asset then clicking_contacts end as clicking_contacts,
        associated_at
    from joined

)

select * from final
