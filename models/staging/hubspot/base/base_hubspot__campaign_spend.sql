{{ select_raw_table('campaign_spend') }}
