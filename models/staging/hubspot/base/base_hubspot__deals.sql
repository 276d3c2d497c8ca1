{{ select_raw_table('deals') }}
