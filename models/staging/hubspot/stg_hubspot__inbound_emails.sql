{#- Grain: one row per inbound_email_id of raw table `inbound_emails`
    (macro stage_raw_table). -#}
{{ stage_raw_table('inbound_emails') }}
