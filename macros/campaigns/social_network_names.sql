{#- Every name that names a social network (the aliases of all platforms of
    source_category_rules). -#}
{% macro social_network_names() -%}
    {%- set names = [] -%}
    {%- for platform, aliases in source_category_rules()['social_platforms'] -%}
        {%- do names.extend(aliases) -%}
    {%- endfor -%}
    {{ return(names) }}
{%- endmacro %}
