{#- Grain: one row per deal_id of raw table `deals`
    (macro stage_raw_table). -#}
{{ stage_raw_table('deals') }}
