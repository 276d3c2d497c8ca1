{#- Grain: one row per company_id of raw table `companies`
    (macro stage_raw_table). -#}
{{ stage_raw_table('companies') }}
