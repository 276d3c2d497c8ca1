{#- Raw text to integer; null when it does not parse. A whole number only:
    optional sign, ASCII digits, and at most a zero fraction (`7.0`, as an
    export that typed the column as a float writes it); surrounding spaces are
    trimmed, as by every parser. Everything else is null - so the raw_contract
    test rejects it - on every engine: a fraction (`1.5`, never rounded),
    exponents (`1e3`), hexadecimal (`0x10`), digit separators (`1_000`,
    `1,000`), a value outside the integer range. -#}
{% macro parse_integer(column) -%}
    {{ return(adapter.dispatch('parse_integer', 'gtm_analytics')(column)) }}
{%- endmacro %}

{% macro default__parse_integer(column) -%}
    case
        when regexp_full_match(trim({{ column }}), '[+-]?[0-9]+([.]0+)?')
            then try_cast(regexp_replace(trim({{ column }}), '[.]0+$', '') as integer)
    end
{%- endmacro %}

{% macro postgres__parse_integer(column) -%}
    {{ target.schema }}.gtm_try_integer(trim({{ column }}))
{%- endmacro %}

{% macro spark__parse_integer(column) -%}
    case
        when trim({{ column }}) rlike '^[+-]?[0-9]+([.]0+)?$'
            then try_cast(regexp_replace(trim({{ column }}), '[.]0+$', '') as integer)
    end
{%- endmacro %}
