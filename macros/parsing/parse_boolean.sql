{#- true/false, 1/0, t/f in any case and with surrounding spaces; null otherwise. -#}
{% macro parse_boolean(column) -%}
    case
        when lower(trim({{ column }})) in ('true', 't', '1') then true
        when lower(trim({{ column }})) in ('false', 'f', '0') then false
    end
{%- endmacro %}
