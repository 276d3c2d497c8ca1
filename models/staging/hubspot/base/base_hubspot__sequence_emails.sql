{{ select_raw_table('sequence_emails') }}
