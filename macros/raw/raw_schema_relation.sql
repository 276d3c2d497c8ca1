{#- The relation <raw_schema>.<table_name> in the target database, for teams whose
    raw tables are already loaded there (var raw_schema), or none for an absent
    optional table. Checks, at execution time, that the table exists and holds
    every contract column; otherwise stops the model with a message that names
    the table, the column and the rule, as raw-directory mode does. Columns
    beyond the contract's are ignored; any column type is accepted, because the
    landing view casts every column to text and staging types it. -#}
{% macro raw_schema_relation(raw_schema, table_name, columns, optional=false) -%}
    {%- if not execute -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set relation = adapter.get_relation(
        database=target.database, schema=raw_schema, identifier=table_name
    ) -%}
    {%- if relation is none -%}
        {%- if optional -%}
            {{ return(none) }}
        {%- endif -%}
        {{ exceptions.raise_compiler_error(
            "raw table " ~ table_name ~ ": rule 'required table' broken: "
            ~ raw_schema ~ "." ~ table_name ~ " does not exist in the target database"
        ) }}
    {%- endif -%}
    {%- set present = adapter.get_columns_in_relation(relation)
        | map(attribute='name') | map('lower') | list -%}
    {%- set missing = [] -%}
    {%- for column in columns if column | lower not in present -%}
        {%- do missing.append(column) -%}
    {%- endfor -%}
    {%- if missing | length > 0 -%}
        {{ exceptions.raise_compiler_error(
            "raw table " ~ table_name ~ ", column " ~ missing | join(', ')
            ~ ": rule 'required column' broken: missing from " ~ raw_schema ~ "." ~ table_name
        ) }}
    {%- endif -%}
    {{ return(relation) }}
{%- endmacro %}
