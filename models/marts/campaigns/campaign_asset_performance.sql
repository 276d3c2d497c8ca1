{#- One row per campaign asset with its figures over its whole history up to
    as-of (association aside). Figures that do not apply to the asset's type
    are null; bot events count in none of the email figures.

    Aggregated before joining: page views per campaign × web asset (counted
    per session first, so that sessions are plain counts), interactions per
    asset (counted per interaction type and contact first) - an asset's
    interactions are the same for every campaign it belongs to. -#}
with campaign_assets as (

    select * from {{ ref('int_campaign_assets_prepared') }}

),

asset_pageviews as (

    select * from {{ ref('int_asset_pageviews_matched') }}

),

interactions as (

    select * from {{ ref('int_asset_interactions_unioned') }}

),

dim_campaigns as (

    select * from {{ ref('dim_campaigns') }}

),

asset_sessions as (

    select
        campaign_id,
        asset_type,
        asset_id,
        session_id,
        is_new_visitor_session,
        count(*) as views
    from asset_pageviews
    group by campaign_id, asset_type, asset_id, session_id, is_new_visitor_session

),

pageview_figures as (

    select
        campaign_id,
        asset_type,
        asset_id,
        sum(views) as views,
        count(*) as sessions,
        count(*) filter (where is_new_visitor_session) as new_visitor_sessions
    from asset_sessions
    group by campaign_id, asset_type, asset_id

),

-- one row per asset × interaction type × contact (null: anonymous clicks)
interaction_contacts as (

    select
        asset_type,
        asset_id,
        interaction_type,
        contact_id,
        count(*) as interactions
    from interactions
    group by asset_type, asset_id, interaction_type, contact_id

),

interaction_figures as (

    select
        asset_type,
        asset_id,
        sum(interactions) filter (where interaction_type = 'FORM_SUBMISSION') as submissions,
        count(contact_id) filter (where interaction_type = 'FORM_SUBMISSION')
            as submitting_contacts,
        count(contact_id) filter (where interaction_type = 'MARKETING_EMAIL_SENT') as email_sent,
        count(contact_id) filter (where interaction_type = 'MARKETING_EMAIL_DELIVERED')
            as email_delivered,
        count(contact_id) filter (where interaction_type = 'MARKETING_EMAIL_OPEN') as email_opens,
        count(contact_id) filter (where interaction_type = 'MARKETING_EMAIL_CLICK') as email_clicks,
        count(contact_id) filter (where interaction_type = 'MARKETING_EMAIL_BOUNCE')
            as email_bounces,
        count(contact_id) filter (where interaction_type = 'MARKETING_EMAIL_UNSUBSCRIBE')
            as email_unsubscribes,
        sum(interactions) filter (
            where interaction_type in ('AD_CLICK', 'SOCIAL_CLICK', 'CTA_CLICK')
        ) as asset_clicks,
        count(contact_id) filter (
            where interaction_type in ('AD_CLICK', 'SOCIAL_CLICK', 'CTA_CLICK')
        ) as clicking_contacts
    from interaction_contacts
    group by asset_type, asset_id

),

joined as (

    select
        campaign_assets.campaign_id,
        dim_campaigns.campaign_name,
        campaign_assets.asset_type,
        campaign_assets.asset_id,
        campaign_assets.asset_name,
        campaign_assets.asset_url,
        campaign_assets.is_web_asset,
        campaign_assets.asset_type = 'FORM' as is_form,
        campaign_assets.asset_type = 'MARKETING_EMAIL' as is_marketing_email,
        campaign_assets.asset_type in ('AD', 'SOCIAL_POST', 'CTA') as is_clickable_asset,
        cast(coalesce(pageview_figures.views, 0) as {{ dbt.type_bigint() }}) as views,
        coalesce(pageview_figures.sessions, 0) as sessions,
        coalesce(pageview_figures.new_visitor_sessions, 0) as new_visitor_sessions,
        cast(coalesce(interaction_figures.submissions, 0) as {{ dbt.type_bigint() }})
            as submissions,
        coalesce(interaction_figures.submitting_contacts, 0) as submitting_contacts,
        coalesce(interaction_figures.email_sent, 0) as email_sent,
        coalesce(interaction_figures.email_delivered, 0) as email_delivered,
        coalesce(interaction_figures.email_opens, 0) as email_opens,
        coalesce(interaction_figures.email_clicks, 0) as email_clicks,
        coalesce(interaction_figures.email_bounces, 0) as email_bounces,
        coalesce(interaction_figures.email_unsubscribes, 0) as email_unsubscribes,
        cast(coalesce(interaction_figures.asset_clicks, 0) as {{ dbt.type_bigint() }})
            as asset_clicks,
        coalesce(interaction_figures.clicking_contacts, 0) as clicking_contacts,
        campaign_assets.associated_at
    from campaign_assets
    left join pageview_figures
        on
            campaign_assets.campaign_id = pageview_figures.campaign_id
            and campaign_assets.asset_type = pageview_figures.asset_type
            and campaign_assets.asset_id = pageview_figures.asset_id
    left join interaction_figures
        on
            campaign_assets.asset_type = interaction_figures.asset_type
            and campaign_assets.asset_id = interaction_figures.asset_id
    left join dim_campaigns
        on campaign_assets.campaign_id = dim_campaigns.campaign_id

),

final as (

    select
        campaign_id,
        campaign_name,
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
