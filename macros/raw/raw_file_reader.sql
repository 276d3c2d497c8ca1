{#- The DuckDB table function that reads one raw table's file, with the type of
    each of its columns (`{'relation': ..., 'types': {lower-case name: type}}`),
    or none for an absent optional table. Checks, at execution time, that the file exists, that
    every line of a CSV file is well formed (raw_csv_check) and that the file
    holds every contract column; otherwise stops the model with a message that
    names the table, the column and the rule. CSV files are read in one fixed
    dialect, never sniffed (raw_csv_dialect). Columns beyond the contract's are
    ignored. -#}
{% macro raw_file_reader(raw_dir, table_name, columns, optional=false) -%}
    {{ return(adapter.dispatch('raw_file_reader', 'gtm_analytics')(
        raw_dir, table_name, columns, optional
    )) }}
{%- endmacro %}

{#- Raw-directory mode reads files with DuckDB's table functions (glob,
    read_parquet, read_csv) in the database process; other engines stop with a
    message that says what to do instead. -#}
{% macro default__raw_file_reader(raw_dir, table_name, columns, optional) -%}
    {{ exceptions.raise_compiler_error(
        "raw-directory mode (var raw_dir, `gtm build --raw-dir`) reads files with DuckDB's "
        ~ "table functions and is supported only on the duckdb target, not on target '"
        ~ target.name ~ "' (" ~ target.type ~ "): build the demo seeds there (no raw_dir), "
        ~ "or build your raw directory with --target duckdb"
    ) }}
{%- endmacro %}

{% macro duckdb__raw_file_reader(raw_dir, table_name, columns, optional) -%}
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
        {%- set dialect = raw_csv_dialect(path) -%}
        {%- if dialect is none -%}
            {{ exceptions.raise_compiler_error(
                "raw table " ~ table_name ~ ", column " ~ columns | join(', ')
                ~ ": rule 'required column' broken: " ~ files[0] ~ " is empty"
            ) }}
        {%- endif -%}
        {%- set reader = "read_csv('" ~ path ~ "', " ~ dialect ~ ")" -%}
    {%- endif -%}
    {%- set described = run_query("describe select * from " ~ reader) -%}
    {%- set present = described.columns[0].values() | map('lower') | list -%}
    {%- set types = {} -%}
    {%- for row in described.rows -%}
        {%- do types.update({row[0] | lower: row[1] | upper}) -%}
    {%- endfor -%}
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
    {%- if not path.endswith('.parquet') -%}
        {%- do raw_csv_check(table_name, path, dialect, columns) -%}
    {%- endif -%}
    {{ return({'relation': reader, 'types': types}) }}
{%- endmacro %}
