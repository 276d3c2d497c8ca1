{#- Grain: one row per visitor_id of raw table `visitor_identities`
    (macro stage_raw_table). -#}
{{ stage_raw_table('visitor_identities') }}
