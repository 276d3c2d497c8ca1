{#- One text key for a row of a raw table: its primary key columns joined by
    '|' (null parts shown as '(null)'). Used by the contract test, the rejects
    model and the filter that keeps rejected rows out of the marts. -#}
{% macro row_key(key_columns, alias=none) -%}
    {%- set parts = [] -%}
    {%- for key in key_columns -%}
        {%- set column = (alias ~ '.' ~ key) if alias else key -%}
        {%- do parts.append("coalesce(cast(" ~ column ~ " as " ~ dbt.type_string() ~ "), '(null)')") -%}
        {%- if not loop.last %}{% do parts.append("'|'") %}{% endif -%}
    {%- endfor -%}
    {{ dbt.concat(parts) if parts | length > 1 else parts[0] }}
{%- endmacro %}
