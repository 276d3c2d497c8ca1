{#- Each raw table's primary key columns (raw contract). -#}
{% macro raw_primary_keys() -%}
    {{ return({
        'users': ['user_id'],
        'companies': ['company_id'],
        'contacts': ['contact_id'],
        'email_templates': ['template_id'],
        'sequences': ['sequence_id'],
        'sequence_steps': ['step_id'],
        'sequence_enrollments': ['enrollment_id'],
        'sequence_emails': ['email_id'],
        'email_events': ['event_id'],
        'inbound_emails': ['inbound_email_id'],
        'tasks': ['task_id'],
        'meetings': ['meeting_id'],
        'deals': ['deal_id'],
        'deal_contacts': ['deal_id', 'contact_id'],
        'campaigns': ['campaign_id'],
        'campaign_assets': ['campaign_id', 'asset_type', 'asset_id'],
        'visitor_identities': ['visitor_id'],
        'web_sessions': ['session_id'],
        'pageviews': ['pageview_id'],
        'form_submissions': ['submission_id'],
        'marketing_email_events': ['event_id'],
        'asset_clicks': ['click_id'],
        'campaign_spend': ['campaign_id', 'spend_date', 'channel'],
    }) }}
{%- endmacro %}
