{#- A UTM value or other text compared as campaigns.md says: trimmed and
    lower-cased; blank text counts as null. -#}
{% macro normalize_utm_value(column) -%}
    nullif(lower(trim({{ column }})), '')
{%- endmacro %}
