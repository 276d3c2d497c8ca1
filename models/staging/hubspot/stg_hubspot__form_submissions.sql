{#- Grain: one row per submission_id of raw table `form_submissions`
    (macro stage_raw_table). -#}
{{ stage_raw_table('form_submissions') }}
