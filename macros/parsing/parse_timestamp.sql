{#- Raw ISO-8601 text (with `Z`, an offset, or none meaning UTC) to a UTC
    `timestamp`; null when it does not parse. The session time zone is pinned
    to UTC in profiles.yml, so a value without an offset is read as UTC. -#}
{% macro parse_timestamp(column) -%}
    {{ return(adapter.dispatch('parse_timestamp', 'gtm_analytics')(column)) }}
{%- endmacro %}

{% macro default__parse_timestamp(column) -%}
    cast(
        timezone('UTC', try_cast(trim({{ column }}) as timestamp with time zone))
        as timestamp
    )
{%- endmacro %}
