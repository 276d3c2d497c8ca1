{#- Grain: one row per template_id of raw table `email_templates`
    (macro stage_raw_table). -#}
{{ stage_raw_table('email_templates') }}
