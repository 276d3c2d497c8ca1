{{ select_raw_table('inbound_emails') }}
