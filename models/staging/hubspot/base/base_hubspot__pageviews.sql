{{ select_raw_table('pageviews') }}
