{#- Grain: one row per email_id of raw table `sequence_emails`
    (macro stage_raw_table). -#}
{{ stage_raw_table('sequence_emails') }}
