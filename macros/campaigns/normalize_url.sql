{#- A URL normalised for matching page views to web assets (campaigns.md):
    trim; cut at the first `?` or `#`; lower-case scheme and host; drop one
    leading `www.` from the host; drop one trailing `/`; keep the path's case,
    the scheme and the port. Blank gives null. In two steps: url_before_query
    (the cut, plain string functions) and normalize_cut_url (the rest, on the
    cut), so that a reader can run the regular expressions once per distinct
    cut URL instead of once per URL. -#}
{% macro normalize_url(column) -%}
    {{ normalize_cut_url(url_before_query(column)) }}
{%- endmacro %}

{#- The URL trimmed and cut at the first `?` or `#`: the first step of
    normalize_url. -#}
{% macro url_before_query(column) -%}
    split_part(split_part(trim({{ column }}), '#', 1), '?', 1)
{%- endmacro %}

{#- normalize_url's second step, on a URL already cut by url_before_query.
    Regular-expression functions differ between engines, hence the dispatch
    (the default runs on DuckDB and Spark). -#}
{% macro normalize_cut_url(cut) -%}
    {{ return(adapter.dispatch('normalize_cut_url', 'gtm_analytics')(cut)) }}
{%- endmacro %}

{% macro default__normalize_cut_url(cut) -%}
    {%- set pattern = "'^([A-Za-z][A-Za-z0-9+.-]*://)?([^/]*)(.*)$'" -%}
    nullif(
        regexp_replace(
            lower(regexp_extract({{ cut }}, {{ pattern }}, 1))
            || regexp_replace(lower(regexp_extract({{ cut }}, {{ pattern }}, 2)), '^www[.]', '')
            || regexp_extract({{ cut }}, {{ pattern }}, 3),
            '/$',
            ''
        ),
        ''
    )
{%- endmacro %}

{#- PostgreSQL: regexp_match gives null (not '') for a group that did not
    match, hence the coalesce. -#}
{% macro postgres__normalize_cut_url(cut) -%}
    {%- set pattern = "'^([A-Za-z][A-Za-z0-9+.-]*://)?([^/]*)(.*)$'" -%}
    {%- set parts = "regexp_match(" ~ cut ~ ", " ~ pattern ~ ")" -%}
    nullif(
        regexp_replace(
            lower(coalesce(({{ parts }})[1], ''))
            || regexp_replace(lower(coalesce(({{ parts }})[2], '')), '^www[.]', '')
            || coalesce(({{ parts }})[3], ''),
            '/$',
            ''
        ),
        ''
    )
{%- endmacro %}
