{#- Grain: one row per campaign_id, spend_date, channel of raw table `campaign_spend`
    (macro stage_raw_table). -#}
{{ stage_raw_table('campaign_spend') }}
