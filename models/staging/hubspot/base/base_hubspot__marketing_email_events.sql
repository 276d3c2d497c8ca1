{{ select_raw_table('marketing_email_events') }}
