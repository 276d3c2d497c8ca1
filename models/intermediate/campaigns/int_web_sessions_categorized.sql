{#- One row per web session at or before as-of, of any visitor: what the
    session row alone decides - its cleaned UTM values, hosts, source category,
    social platform and drill-down detail. int_web_sessions_classified adds what
    depends on other rows (contact, page views, first-session flags).

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

cleaned as (

    select
        session_id,
        visitor_id,
        started_at,
        landing_url,
        referrer_url,
        {{ normalize_utm_value('utm_source') }} as utm_source_key,
        {{ normalize_utm_value('utm_medium') }} as utm_medium_key,
        {{ normalize_utm_value('utm_campaign') }} as utm_campaign_key,
        {{ normalize_utm_value('utm_term') }} as utm_term_key,
        {{ normalize_utm_value('utm_content') }} as utm_content_key,
        {{ url_host('utm_source') }} as utm_source_host,
        {{ url_host('referrer_url') }} as referrer_host,
        {{ url_host('landing_url') }} as landing_host
    from new_sessions

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
    from cleaned

),

final as (

    select
        session_id,
        visitor_id,
        source_category,
        {{ source_detail(
            'source_category', 'utm_term_key', 'utm_source_key', 'utm_medium_key', 'social_platform'
        ) }} as source_detail,
        social_platform,
        utm_source_key,
        utm_medium_key,
        utm_campaign_key,
        utm_term_key,
        utm_content_key,
        referrer_host,
        landing_host,
        landing_url,
        referrer_url,
        started_at
    from categorized

)

select * from final
