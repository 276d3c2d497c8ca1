{#- Grain: one row per campaign_id of raw table `campaigns`
    (macro stage_raw_table). -#}
{{ stage_raw_table('campaigns') }}
