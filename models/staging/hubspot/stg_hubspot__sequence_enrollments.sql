{#- Grain: one row per enrollment_id of raw table `sequence_enrollments`
    (macro stage_raw_table). -#}
{{ stage_raw_table('sequence_enrollments') }}
