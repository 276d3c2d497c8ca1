{{ select_raw_table('sequences') }}
