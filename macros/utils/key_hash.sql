{#- A 64-bit hash of one or more key expressions, never null (a null part
    hashes to a value too), equal for equal keys on one engine. Used to find
    candidate repeated keys cheaply; a collision only adds a candidate, so
    callers must compare the key columns themselves before reporting. -#}
{% macro key_hash(expressions) -%}
    {{ return(adapter.dispatch('key_hash', 'gtm_analytics')(expressions)) }}
{%- endmacro %}

{% macro default__key_hash(expressions) -%}
    hash({{ expressions | join(', ') }})
{%- endmacro %}

{#- The text of a row value tells null from an empty string and keeps the
    parts apart. -#}
{% macro postgres__key_hash(expressions) -%}
    hashtextextended(cast(row({{ expressions | join(', ') }}) as text), 0)
{%- endmacro %}

{% macro spark__key_hash(expressions) -%}
    xxhash64({{ expressions | join(', ') }})
{%- endmacro %}
