{#- The DuckDB table function that reads one raw table's file, or none for an
    absent optional table. Checks, at execution time, that the file exists and
    holds every contract column; otherwise stops the model with a message that
    names the table, the column and the rule. -#}
{% macro raw_file_reader(raw_dir, table_name, columns, optional=false) -%}
    {%- if not execute -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set base_path = (raw_dir ~ '/' ~ table_name) | replace("'", "''") -%}
    {%- set found = run_query(
        "select file from glob('" ~ base_path ~ ".parquet') "
        ~ "union all select file from glob('" ~ base_path ~ ".csv') order by 1 desc"
    ) -%}
    {%- set files = found.columns[0].values() | list -%}
    {%- if files | length == 0 -%}
        {%- if optional -%}
            {{ return(none) }}
        {%- endif -%}
        {{ exceptions.raise_compiler_error(
            "raw table " ~ table_name ~ ": rule 'required table' broken: neither "
            ~ raw_dir ~ "/" ~ table_name ~ ".parquet nor .csv exists"
        ) }}
    {%- endif -%}
    {#- parquet sorts after csv with `desc`: prefer parquet when both exist -#}
    {%- set path = files[0] | replace("'", "''") -%}
    {%- if path.endswith('.parquet') -%}
        {%- set reader = "read_parquet('" ~ path ~ "')" -%}
    {%- else -%}
        {%- set reader = "read_csv('" ~ path ~ "', header = true, all_varchar = true, "
            ~ "auto_detect = true)" -%}
    {%- endif -%}
    {%- set described = run_query("describe select * from " ~ reader) -%}
    {%- set present = described.columns[0].values() | map('lower') | list -%}
    {%- set missing = [] -%}
    {%- for column in columns if column | lower not in present -%}
        {%- do missing.append(column) -%}
    {%- endfor -%}
    {%- if missing | length > 0 -%}
        {{ exceptions.raise_compiler_error(
            "raw table " ~ table_name ~ ", column " ~ missing | join(', ')
            ~ ": rule 'required column' broken: missing from " ~ files[0]
        ) }}
    {%- endif -%}
    {{ return(reader) }}
{%- endmacro %}
