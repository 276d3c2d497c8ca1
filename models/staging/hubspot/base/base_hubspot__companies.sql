{{ select_raw_table('companies') }}
