{{ select_raw_table('visitor_identities') }}
