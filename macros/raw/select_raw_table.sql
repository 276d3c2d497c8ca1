{#- The landing view of one raw table, all columns as text, in contract order.

    Demo mode (vars raw_dir and raw_schema unset): reads the seed of the same name.
    Raw-directory mode (var raw_dir): reads <raw_dir>/<table>.parquet, else
    <table>.csv, and stops with a clear message when a required table or a
    column is missing.
    Raw-schema mode (var raw_schema): reads the table <raw_schema>.<table> of the
    target database, with the same checks.
    The column list comes from the base model's YAML (the raw contract). -#}
{% macro select_raw_table(table_name, optional=false) -%}
    {%- set raw_dir = var('raw_dir') -%}
    {%- set raw_schema = var('raw_schema', none) -%}
    {%- set columns = model.columns.keys() | list -%}
    {%- if raw_dir is not none and raw_schema is not none -%}
        {{ exceptions.raise_compiler_error(
            "vars raw_dir and raw_schema are both set: read the raw tables from files "
            ~ "(raw_dir) or from a schema of the target database (raw_schema), not both"
        ) }}
    {%- elif raw_dir is not none -%}
        {%- set relation = raw_file_reader(raw_dir, table_name, columns, optional) -%}
    {%- elif raw_schema is not none -%}
        {%- set relation = raw_schema_relation(raw_schema, table_name, columns, optional) -%}
    {%- else -%}
        {%- set relation = ref(table_name) -%}
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
