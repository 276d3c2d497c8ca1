{#- One row per asset associated with a campaign that reaches the marts, with
    its URL normalised for matching page views. An asset of a campaign that was
    itself rejected stays: int_campaigns_prepared keeps that campaign's key. -#}
with campaign_assets as (

    select * from {{ staged_rows('campaign_assets') }} as campaign_assets

),

campaigns as (

    select * from {{ ref('int_campaigns_prepared') }}

),

final as (

    select
        campaign_assets.campaign_id,
        campaign_assets.asset_type,
        campaign_assets.asset_id,
        campaign_assets.asset_name,
        campaign_assets.asset_url,
        {{ normalize_url('campaign_assets.asset_url') }} as asset_url_normalized,
        campaign_assets.asset_type in (
            'LANDING_PAGE', 'WEBSITE_PAGE', 'BLOG_POST'
        ) as is_web_asset,
        campaign_assets.associated_at
    from campaign_assets
    inner join campaigns
        on campaign_assets.campaign_id = campaigns.campaign_id

)

select * from final
