{#- The social platform of a session (campaigns.md): the social network named
    by `utm_source` (read as a host) if any, else by the referrer host; null when
    neither names one. Arguments are hosts cleaned by url_host. -#}
{% macro social_platform(source_host, referrer_host) -%}
    {%- set platforms = source_category_rules()['social_platforms'] -%}
    case
    {%- for host in [source_host, referrer_host] %}
        {%- for platform, aliases in platforms %}
        when {{ host_is_named_by(host, aliases) }} then '{{ platform }}'
        {%- endfor %}
    {%- endfor %}
    end
{%- endmacro %}
