{{ select_raw_table('users') }}
