{#- Grain: one row per step_id of raw table `sequence_steps`
    (macro stage_raw_table). -#}
{{ stage_raw_table('sequence_steps') }}
