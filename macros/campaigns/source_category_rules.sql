{#- The constants of campaigns.md's source-category rules, in one place: the
    categories in rule order, the `utm_medium` lists, the search engines and the
    social platforms with the names that name them (`x.com` and `t.co` are
    twitter, `lnkd.in` is linkedin). -#}
{% macro source_category_rules() -%}
    {{ return({
        'categories': [
            'PAID_SEARCH',
            'PAID_SOCIAL',
            'EMAIL_MARKETING',
            'ORGANIC_SOCIAL',
            'OTHER_CAMPAIGNS',
            'ORGANIC_SEARCH',
            'REFERRALS',
            'DIRECT_TRAFFIC',
        ],
        'paid_search_mediums': ['cpc', 'ppc', 'paid', 'paidsearch', 'paid_search', 'sem'],
        'paid_social_mediums': ['paid_social', 'paidsocial', 'social_paid', 'cpc', 'ppc', 'paid'],
        'email_mediums': ['email', 'e-mail', 'newsletter'],
        'social_mediums': [
            'social', 'social-network', 'social_media', 'social-media', 'sm', 'organic_social',
        ],
        'search_engines': ['google', 'bing', 'yahoo', 'duckduckgo', 'baidu', 'yandex', 'ecosia'],
        'social_platforms': [
            ('facebook', ['facebook']),
            ('instagram', ['instagram']),
            ('linkedin', ['linkedin', 'lnkd.in']),
            ('twitter', ['twitter', 't.co', 'x.com']),
            ('youtube', ['youtube']),
            ('tiktok', ['tiktok']),
            ('reddit', ['reddit']),
            ('pinterest', ['pinterest']),
        ],
    }) }}
{%- endmacro %}
