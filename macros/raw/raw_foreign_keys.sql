{#- Every foreign key of the raw contract as (table, column, parent table,
    parent key), from raw_contract(). A row whose key points nowhere is kept out
    of the marts and listed in int_rejected_rows. -#}
{% macro raw_foreign_keys() -%}
    {%- set keys = [] -%}
    {%- for table_name, table in raw_contract().items() -%}
        {%- for key in table['foreign_keys'] -%}
            {%- do keys.append((table_name, key['column'], key['parent_table'], key['parent_key'])) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(keys) }}
{%- endmacro %}
