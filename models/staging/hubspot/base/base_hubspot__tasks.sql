{{ select_raw_table('tasks') }}
