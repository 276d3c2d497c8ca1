{#- Grain: one row per sequence_id of raw table `sequences`
    (macro stage_raw_table). -#}
{{ stage_raw_table('sequences') }}
