{#- Reads a raw CSV file once with DuckDB's rejects table and stops the model
    when a line is malformed: fewer or more fields than the header, bytes that
    are not UTF-8, an unclosed quote, a line too long. The message names the
    table, the column (when known), the rule, how many lines break it and the
    first line numbers. Without this check DuckDB's error, raised later by
    whichever model reads the file first, would not say which raw table is
    broken. `dialect` is raw_csv_dialect's; `columns` the contract's, all
    present in the file. -#}
{% macro raw_csv_check(table_name, path, dialect, columns) -%}
    {%- set rejects = 'gtm_csv_rejects_' ~ table_name -%}
    {%- do run_query('drop table if exists ' ~ rejects) -%}
    {%- do run_query('drop table if exists ' ~ rejects ~ '_scan') -%}
    {#- every contract column is read: a bare count(*) would skip their UTF-8
        check; extra columns are ignored, here as everywhere -#}
    {%- set lengths = [] -%}
    {%- for column in columns -%}
        {%- do lengths.append('max(length("' ~ column ~ '"))') -%}
    {%- endfor -%}
    {%- do run_query(
        "select count(*), " ~ lengths | join(', ') ~ " from read_csv('" ~ path ~ "', " ~ dialect
        ~ ", store_rejects = true, rejects_table = '" ~ rejects
        ~ "', rejects_scan = '" ~ rejects ~ "_scan', rejects_limit = 1000)"
    ) -%}
    {%- set broken = run_query(
        "select rule, "
        ~ "string_agg(distinct column_name, ', ') filter (where error_type = 'INVALID ENCODING') "
        ~ "as column_names, "
        ~ "count(distinct line) as lines, "
        ~ "array_to_string(list_sort(list(distinct line))[1:3], ', ') as example_lines, "
        ~ "min(error_message) as detail "
        ~ "from (select *, case when error_type in ('MISSING COLUMNS', 'TOO MANY COLUMNS') "
        ~ "then 'every line holds the header''s fields' "
        ~ "when error_type = 'INVALID ENCODING' then 'text is UTF-8' "
        ~ "when error_type = 'UNQUOTED VALUE' then 'quoted values are closed' "
        ~ "when error_type = 'LINE SIZE OVER MAXIMUM' then 'a line is shorter than the maximum' "
        ~ "else 'well-formed CSV' end as rule from " ~ rejects ~ ") "
        ~ "group by rule order by rule"
    ) -%}
    {%- do run_query('drop table if exists ' ~ rejects) -%}
    {%- do run_query('drop table if exists ' ~ rejects ~ '_scan') -%}
    {%- set problems = [] -%}
    {%- for row in broken.rows -%}
        {%- set where = ", column " ~ row[1] if row[1] else "" -%}
        {%- set noun = "line breaks" if row[2] == 1 else "lines break" -%}
        {%- do problems.append(
            "raw table " ~ table_name ~ where ~ ": " ~ row[2] ~ " " ~ noun
            ~ " the rule '" ~ row[0] ~ "' (e.g. line " ~ row[3] ~ " of " ~ path ~ ": "
            ~ row[4] ~ ")"
        ) -%}
    {%- endfor -%}
    {%- if problems | length > 0 -%}
        {{ exceptions.raise_compiler_error(problems | join('; ')) }}
    {%- endif -%}
{%- endmacro %}
