{#- The read_csv options for a raw CSV file: one fixed dialect (comma, double
    quotes doubled inside a value, UTF-8, the header on the first line, no
    comment lines), every column text, the column names taken from the header
    line. DuckDB's sniffer is never used: a broken line cannot make it guess
    another dialect (it guessed "one column" and blamed every column as
    missing), and a line starting with '#' is data, not a comment dropped
    silently. Returns none for an empty file. -#}
{% macro raw_csv_dialect(path) -%}
    {%- set first_line = run_query(
        "select line from read_csv('" ~ path ~ "', auto_detect = false, header = false, "
        ~ "columns = {'line': 'VARCHAR'}, delim = chr(31), quote = '', escape = '', "
        ~ "comment = '', skip = 0, ignore_errors = true) limit 1"
    ) -%}
    {%- if first_line.rows | length == 0 or first_line.rows[0][0] is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set names = [] -%}
    {%- for header_field in first_line.rows[0][0].split(',') -%}
        {%- set name = header_field.strip().strip('"').strip() or ('column' ~ loop.index) -%}
        {%- if name in names -%}
            {%- set name = name ~ '_' ~ loop.index -%}
        {%- endif -%}
        {%- do names.append(name) -%}
    {%- endfor -%}
    {%- set columns = [] -%}
    {%- for name in names -%}
        {%- do columns.append("'" ~ name | replace("'", "''") ~ "': 'VARCHAR'") -%}
    {%- endfor -%}
    {{ return(
        "auto_detect = false, header = true, columns = {" ~ columns | join(', ') ~ "}, "
        ~ "delim = ',', quote = '\"', escape = '\"', comment = '', skip = 0, "
        ~ "encoding = 'utf-8'"
    ) }}
{%- endmacro %}
