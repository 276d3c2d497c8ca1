{#- Grain: one row per deal_id, contact_id of raw table `deal_contacts`
    (macro stage_raw_table). -#}
{{ stage_raw_table('deal_contacts') }}
