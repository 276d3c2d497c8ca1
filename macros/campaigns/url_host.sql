{#- The host named by a URL or by a bare host name (a referrer, a landing URL,
    a `utm_source` read as a host): trimmed, lower-cased, without scheme, user
    information, port, path, query, fragment or one leading `www.`; null when
    empty. Dispatched for the engines' regular-expression functions. -#}
{% macro url_host(column) -%}
    {{ return(adapter.dispatch('url_host', 'gtm_analytics')(column)) }}
{%- endmacro %}

{% macro default__url_host(column) -%}
    nullif(
        regexp_replace(
            regexp_extract(
                lower(trim({{ column }})),
                '^(?:[a-z][a-z0-9+.-]*://)?(?:[^@/?#]*@)?([^:/?#]*)',
                1
            ),
            '^www[.]',
            ''
        ),
        ''
    )
{%- endmacro %}

{#- PostgreSQL: regexp_match returns the groups as an array (null when the
    pattern does not match). -#}
{% macro postgres__url_host(column) -%}
    nullif(
        regexp_replace(
            coalesce(
                (regexp_match(
                    lower(trim({{ column }})),
                    '^(?:[a-z][a-z0-9+.-]*://)?(?:[^@/?#]*@)?([^:/?#]*)'
                ))[1],
                ''
            ),
            '^www[.]',
            ''
        ),
        ''
    )
{%- endmacro %}
