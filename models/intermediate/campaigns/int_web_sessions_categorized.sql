{#- Grain: one row per web session at or before as-of, of any visitor: what the
    session row alone decides - its cleaned UTM values, hosts, source category,
    social platform and drill-down detail. int_web_sessions_classified adds what
    depends on other rows (contact, page views, first-session flags).

    The host regular expression runs once per distinct URL, and the category
    rules once per distinct combination of their inputs.

    Incremental: the regular expressions and the category rules are the cost
    of a session, and they depend on the row alone, so a build adds only the
    sessions not in the table yet; rows never leave it between full refreshes
    (as-of only moves forward while the raw files only grow). -#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    unique_key='session_id',
    on_schema_change='fail',
) }}

with web_sessions as (

    select * from {{ staged_rows('web_sessions') }} as web_sessions

),

as_of as (

    select * from {{ ref('int_as_of') }}

),

sessions_in_range as (

    select web_sessions.*
    from web_sessions
    cross join as_of
    where web_sessions.started_at <= as_of.as_of

),

new_sessions as (

    {{ incremental_new_rows(relation='sessions_in_range', unique_key='session_id') }}

),

-- hosts: the regular expression runs once per distinct URL or utm_source
host_values as (

    select referrer_url as host_value from new_sessions
    union
    select landing_url as host_value from new_sessions
    union
    select utm_source as host_value from new_sessions

),

hosts as (

    select
        host_value,
        {{ url_host('host_value') }} as host
    from host_values
    where host_value is not null

),

cleaned as (

    select
        new_sessions.session_id,
        new_sessions.visitor_id,
        new_sessions.started_at,
        new_sessions.landing_url,
        new_sessions.referrer_url,
        {{ normalize_utm_value('new_sessions.utm_source') }} as utm_source_key,
        {{ normalize_utm_value('new_sessions.utm_medium') }} as utm_medium_key,
        {{ normalize_utm_value('new_sessions.utm_campaign') }} as utm_campaign_key,
        {{ normalize_utm_value('new_sessions.utm_term') }} as utm_term_key,
        {{ normalize_utm_value('new_sessions.utm_content') }} as utm_content_key,
        source_hosts.host as utm_source_host,
        referrer_hosts.host as referrer_host,
        landing_hosts.host as landing_host
    from new_sessions
    left join hosts as source_hosts
        on new_sessions.utm_source = source_hosts.host_value
    left join hosts as referrer_hosts
        on new_sessions.referrer_url = referrer_hosts.host_value
    left join hosts as landing_hosts
        on new_sessions.landing_url = landing_hosts.host_value

),

-- the category rules run once per distinct combination of their inputs
rule_inputs as (

    select distinct
        utm_source_key,
        utm_medium_key,
        utm_campaign_key,
        utm_term_key,
        utm_content_key,
        utm_source_host,
        referrer_host,
        landing_host
    from cleaned

),

categorized as (

    select
        *,
        {{ source_category(
            utm_medium='utm_medium_key',
            has_utm='coalesce(utm_source_key, utm_medium_key, utm_campaign_key, utm_term_key,'
                ~ ' utm_content_key) is not null',
            source_host='utm_source_host',
            referrer_host='referrer_host',
            landing_host='landing_host',
        ) }} as source_category,
        {{ social_platform('utm_source_host', 'referrer_host') }} as social_platform
    from rule_inputs

),

detailed as (

    select
        *,
        {{ source_detail(
            'source_category', 'utm_term_key', 'utm_source_key', 'utm_medium_key', 'social_platform'
        ) }} as source_detail
    from categorized

),

final as (

    select
        cleaned.session_id,
        cleaned.visitor_id,
        detailed.source_category,
        detailed.source_detail,
        detailed.social_platform,
        cleaned.utm_source_key,
        cleaned.utm_medium_key,
        cleaned.utm_campaign_key,
        cleaned.utm_term_key,
        cleaned.utm_content_key,
        cleaned.referrer_host,
        cleaned.landing_host,
        cleaned.landing_url,
        cleaned.referrer_url,
        cleaned.started_at
    from cleaned
    -- null matches null: '' never occurs (blank keys and hosts are null)
    inner join detailed
        on
            coalesce(cleaned.utm_source_key, '') = coalesce(detailed.utm_source_key, '')
            and coalesce(cleaned.utm_medium_key, '') = coalesce(detailed.utm_medium_key, '')
            and coalesce(cleaned.utm_campaign_key, '') = coalesce(detailed.utm_campaign_key, '')
            and coalesce(cleaned.utm_term_key, '') = coalesce(detailed.utm_term_key, '')
            and coalesce(cleaned.utm_content_key, '') = coalesce(detailed.utm_content_key, '')
            and coalesce(cleaned.utm_source_host, '') = coalesce(detailed.utm_source_host, '')
            and coalesce(cleaned.referrer_host, '') = coalesce(detailed.referrer_host, '')
            and coalesce(cleaned.landing_host, '') = coalesce(detailed.landing_host, '')

)

select * from final
