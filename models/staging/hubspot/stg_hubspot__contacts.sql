{#- Grain: one row per contact_id of raw table `contacts`
    (macro stage_raw_table). -#}
{{ stage_raw_table('contacts') }}
