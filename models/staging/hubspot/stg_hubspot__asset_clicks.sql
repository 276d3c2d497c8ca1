{#- Grain: one row per click_id of raw table `asset_clicks`
    (macro stage_raw_table). -#}
{{ stage_raw_table('asset_clicks') }}
