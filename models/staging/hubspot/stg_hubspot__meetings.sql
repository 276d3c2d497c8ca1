{#- Grain: one row per meeting_id of raw table `meetings`
    (macro stage_raw_table). -#}
{{ stage_raw_table('meetings') }}
