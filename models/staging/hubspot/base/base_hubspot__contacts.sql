{{ select_raw_table('contacts') }}
