{#- Grain: one row per web session at or before as-of, of any visitor: what the
    session row alone decides - its cleaned UTM values, hosts, source category,
    social platform and drill-down detail. int_web_sessions_classified adds what
    depends on other rows (contact, page views, first-session flags).

    A view, read once by int_web_sessions_classified, which keeps the columns
    the marts read. What costs is done once per distinct value or only where
    it decides: the referrer's host once per distinct referrer URL, the
    category rules (and `utm_source` read as a host) once per distinct
    combination of their inputs (a few hundred). The landing host matters only
    to rule REFERRALS (a referrer on the session's own site is direct
    traffic): the rules are run both ways, and the landing URL's host is found
    only for the sessions where the two differ and the URL contains the
    referrer's host at all - not by joining every session on its landing URL
    (hundreds of thousands of distinct values). -#}
{{ config(materialized='view') }}

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

-- the host regular expression runs once per distinct URL of the staged
-- sessions (those in range among them), each list read apart: a view keeps no
-- CTE materialisation hints, and a list read twice would be computed twice
referrer_hosts as (

    select
        referrer_url,
        {{ url_host('referrer_url') }} as host
    from {{ staged_rows('web_sessions') }} as staged_sessions
    where referrer_url is not null
    group by referrer_url

),

cleaned as (

    select
        sessions_in_range.session_id,
        sessions_in_range.visitor_id,
        sessions_in_range.started_at,
        sessions_in_range.landing_url,
        sessions_in_range.referrer_url,
        {{ normalize_utm_value('sessions_in_range.utm_source') }} as utm_source_key,
        {{ normalize_utm_value('sessions_in_range.utm_medium') }} as utm_medium_key,
        {{ normalize_utm_value('sessions_in_range.utm_campaign') }} as utm_campaign_key,
        {{ normalize_utm_value('sessions_in_range.utm_term') }} as utm_term_key,
        {{ normalize_utm_value('sessions_in_range.utm_content') }} as utm_content_key,
        referrer_hosts.host as referrer_host
    from sessions_in_range
    left join referrer_hosts
        on sessions_in_range.referrer_url = referrer_hosts.referrer_url

),

-- what the category rules read of a session, the landing host aside
rule_keyed as (

    select
        *,
        coalesce(
            utm_source_key, utm_medium_key, utm_campaign_key, utm_term_key, utm_content_key
        ) is not null as has_utm
    from cleaned

),

-- the category rules run once per distinct combination of their inputs
rule_inputs as (

    select distinct
        utm_source_key,
        utm_medium_key,
        utm_term_key,
        has_utm,
        referrer_host
    from rule_keyed

),

-- `utm_source` read as a host (utm_source_key is it trimmed and lower-cased)
rule_hosts as (

    select
        *,
        {{ url_host('utm_source_key') }} as utm_source_host
    from rule_inputs

),

-- the category twice: with a landing host other than the referrer's (or
-- none), and with the referrer's own; they differ only in rule REFERRALS
categorized as (

    select
        *,
        {{ source_category(
            utm_medium='utm_medium_key',
            has_utm='has_utm',
            source_host='utm_source_host',
            referrer_host='referrer_host',
            landing_host='cast(null as ' ~ dbt.type_string() ~ ')',
        ) }} as category_other_landing,
        {{ source_category(
            utm_medium='utm_medium_key',
            has_utm='has_utm',
            source_host='utm_source_host',
            referrer_host='referrer_host',
            landing_host='referrer_host',
        ) }} as category_same_landing,
        {{ social_platform('utm_source_host', 'referrer_host') }} as social_platform
    from rule_hosts

),

detailed as (

    select
        *,
        {{ source_detail(
            'category_other_landing', 'utm_term_key', 'utm_source_key', 'utm_medium_key',
            'social_platform'
        ) }} as detail_other_landing,
        {{ source_detail(
            'category_same_landing', 'utm_term_key', 'utm_source_key', 'utm_medium_key',
            'social_platform'
        ) }} as detail_same_landing
    from categorized

),

ruled as (

    select
        rule_keyed.*,
        detailed.category_other_landing,
        detailed.category_same_landing,
        detailed.detail_other_landing,
        detailed.detail_same_landing,
        detailed.social_platform
    from rule_keyed
    -- null matches null: '' never occurs (blank keys and hosts are null)
    inner join detailed
        on
            coalesce(rule_keyed.utm_source_key, '') = coalesce(detailed.utm_source_key, '')
            and coalesce(rule_keyed.utm_medium_key, '') = coalesce(detailed.utm_medium_key, '')
            and coalesce(rule_keyed.utm_term_key, '') = coalesce(detailed.utm_term_key, '')
            and rule_keyed.has_utm = detailed.has_utm
            and coalesce(rule_keyed.referrer_host, '') = coalesce(detailed.referrer_host, '')

),

-- true where the landing host is the referrer's, tested only where that
-- decides (rule REFERRALS); the host expression runs only where the landing
-- URL contains the referrer's host at all
landed as (

    select
        *,
        case
            when category_other_landing = category_same_landing then false
            when {{ dbt.position('referrer_host', 'lower(landing_url)') }} = 0 then false
            else coalesce({{ url_host('landing_url') }} = referrer_host, false)
        end as is_same_site
    from ruled

),

final as (

    select
        session_id,
        visitor_id,
        case
            when is_same_site then category_same_landing
            else category_other_landing
        end as source_category,
        case
            when is_same_site then detail_same_landing
            else detail_other_landing
        end as source_detail,
        social_platform,
        utm_source_key,
        utm_medium_key,
        utm_campaign_key,
        utm_term_key,
        utm_content_key,
        referrer_host,
        -- per row, computed only where read (no model reads it at scale)
        {{ url_host('landing_url') }} as landing_host,
        landing_url,
        referrer_url,
        started_at
    from landed

)

select * from final
