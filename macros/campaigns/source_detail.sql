{#- The traffic report's drill-down value of a session (campaigns.md):
    `PAID_SEARCH` by `utm_term` (`(none)` when null), `ORGANIC_SOCIAL` by
    platform (`(other)` when none is known), `OTHER_CAMPAIGNS` by
    `utm_source / utm_medium` (a null part written `(none)`); null for the
    categories without drill-down. UTM arguments are cleaned by
    normalize_utm_value. -#}
{% macro source_detail(source_category, utm_term, utm_source, utm_medium, platform) -%}
    case {{ source_category }}
        when 'PAID_SEARCH' then coalesce({{ utm_term }}, '(none)')
        when 'ORGANIC_SOCIAL' then coalesce({{ platform }}, '(other)')
        when 'OTHER_CAMPAIGNS'
            then {{ dbt.concat([
                "coalesce(" ~ utm_source ~ ", '(none)')",
                "' / '",
                "coalesce(" ~ utm_medium ~ ", '(none)')",
            ]) }}
    end
{%- endmacro %}
