{{ select_raw_table('meetings') }}
