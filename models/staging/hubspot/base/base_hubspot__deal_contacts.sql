{{ select_raw_table('deal_contacts') }}
