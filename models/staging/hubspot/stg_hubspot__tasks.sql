{#- Grain: one row per task_id of raw table `tasks`
    (macro stage_raw_table). -#}
{{ stage_raw_table('tasks') }}
