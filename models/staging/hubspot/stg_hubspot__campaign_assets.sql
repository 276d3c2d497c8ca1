{#- Grain: one row per campaign_id, asset_type, asset_id of raw table `campaign_assets`
    (macro stage_raw_table). -#}
{{ stage_raw_table('campaign_assets') }}
