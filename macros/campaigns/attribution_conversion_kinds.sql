{#- The three conversion kinds of campaigns.md, in display order. -#}
{% macro attribution_conversion_kinds() -%}
    {{ return(['CONTACT_CREATE', 'DEAL_CREATE', 'REVENUE']) }}
{%- endmacro %}
