{#- Each raw table's primary key columns, from raw_contract(). -#}
{% macro raw_primary_keys() -%}
    {%- set keys = {} -%}
    {%- for table_name, table in raw_contract().items() -%}
        {%- do keys.update({table_name: table['primary_key']}) -%}
    {%- endfor -%}
    {{ return(keys) }}
{%- endmacro %}
