{#- A web session's source category: the first rule of campaigns.md that
    matches. Arguments are SQL expressions over values already cleaned by the
    caller: `utm_medium` by normalize_utm_value, `has_utm` true when any UTM
    parameter is non-null after normalize_utm_value, the hosts by url_host. A
    search engine or social network is named by `utm_source` (read as a host)
    or by the referrer host. -#}
{% macro source_category(utm_medium, has_utm, source_host, referrer_host, landing_host) -%}
    {%- set rules = source_category_rules() -%}
    {%- set search_engines = rules['search_engines'] -%}
    {%- set social_networks = social_network_names() -%}
    case
        when
            {{ utm_medium }} in ('{{ rules["paid_search_mediums"] | join("', '") }}')
            and (
                {{ host_is_named_by(source_host, search_engines) }}
                or {{ host_is_named_by(referrer_host, search_engines) }}
            )
            then 'PAID_SEARCH'
        when
            {{ utm_medium }} in ('{{ rules["paid_social_mediums"] | join("', '") }}')
            and (
                {{ host_is_named_by(source_host, social_networks) }}
                or {{ host_is_named_by(referrer_host, social_networks) }}
            )
            then 'PAID_SOCIAL'
        when {{ utm_medium }} in ('{{ rules["email_mediums"] | join("', '") }}')
            then 'EMAIL_MARKETING'
        when
            {{ utm_medium }} in ('{{ rules["social_mediums"] | join("', '") }}')
            or (
                not ({{ has_utm }})
                and {{ host_is_named_by(referrer_host, social_networks) }}
            )
            then 'ORGANIC_SOCIAL'
        when {{ has_utm }}
            then 'OTHER_CAMPAIGNS'
        when {{ host_is_named_by(referrer_host, search_engines) }}
            then 'ORGANIC_SEARCH'
        when
            {{ referrer_host }} is not null
            and ({{ landing_host }} is null or {{ referrer_host }} <> {{ landing_host }})
            then 'REFERRALS'
        else 'DIRECT_TRAFFIC'
    end
{%- endmacro %}
