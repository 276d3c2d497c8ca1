{{ select_raw_table('campaigns') }}
