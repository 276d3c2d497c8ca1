{{ select_raw_table('web_sessions') }}
