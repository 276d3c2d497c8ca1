{{ select_raw_table('asset_clicks') }}
