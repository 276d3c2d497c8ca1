{{ select_raw_table('email_events') }}
