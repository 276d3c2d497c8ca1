{{ select_raw_table('form_submissions') }}
