{#- Grain: one row per user_id of raw table `users`
    (macro stage_raw_table). -#}
{{ stage_raw_table('users') }}
