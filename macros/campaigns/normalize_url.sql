{#- A URL normalised for matching page views to web assets (campaigns.md):
    trim; cut at the first `?` or `#`; lower-case scheme and host; drop one
    leading `www.` from the host; drop one trailing `/`; keep the path's case,
    the scheme and the port. Blank gives null. Regular-expression functions
    differ between engines, hence the dispatch (the default runs on DuckDB). -#}
{% macro normalize_url(column) -%}
    {{ return(adapter.dispatch('normalize_url', 'gtm_analytics')(column)) }}
{%- endmacro %}

{% macro default__normalize_url(column) -%}
    {%- set cut = "split_part(split_part(trim(" ~ column ~ "), '#', 1), '?', 1)" -%}
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
{% macro postgres__normalize_url(column) -%}
    {%- set cut = "split_part(split_part(trim(" ~ column ~ "), '#', 1), '?', 1)" -%}
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
