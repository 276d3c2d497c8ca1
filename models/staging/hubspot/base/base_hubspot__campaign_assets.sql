{{ select_raw_table('campaign_assets') }}
