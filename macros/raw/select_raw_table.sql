{#- The landing view of one raw table, all columns as text, in contract order.

    Demo mode (var raw_dir unset): reads the seed of the same name.
    Raw-directory mode: reads <raw_dir>/<table>.parquet, else <table>.csv, and
    stops with a clear message when a required table or a column is missing.
    The column list comes from the base model's YAML (the raw contract). -#}
{% macro select_raw_table(table_name, optional=false) -%}
    {%- set raw_dir = var('raw_dir') -%}
    {%- set columns = model.columns.keys() | list -%}
    {%- if raw_dir is none -%}
        {%- set relation = ref(table_name) -%}
    {%- else -%}
        {%- set relation = raw_file_reader(raw_dir, table_name, columns, optional) -%}
    {%- endif %}
    {%- if relation is none %}
select
    {%- for column in columns %}
    cast(null as {{ dbt.type_string() }}) as {{ column }}{{ "," if not loop.last }}
    {%- endfor %}
where false
    {%- else %}
select
    {%- for column in columns %}
    cast({{ column }} as {{ dbt.type_string() }}) as {{ column }}{{ "," if not loop.last }}
    {%- endfor %}
from {{ relation }}
    {%- endif %}
{%- endmacro %}
