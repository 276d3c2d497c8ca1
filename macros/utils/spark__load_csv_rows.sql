{#- Spark: load a seed's rows as SQL literals. dbt-spark's own version binds
    every value as `'<value>'`, so an empty CSV field (None) lands as the text
    'None' and a quote or backslash in a value breaks the statement; here null
    stays null and both characters are escaped. The demo seeds are all text
    (_seeds.yml), so the literals need no cast. -#}
{% macro spark__load_csv_rows(model, agate_table) %}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
        {%- set rows = [] -%}
        {%- for row in chunk -%}
            {%- set values = [] -%}
            {%- for value in row -%}
                {%- if value is none -%}
                    {%- do values.append('null') -%}
                {%- else -%}
                    {%- do values.append(
                        "'" ~ (value | string | replace('\\', '\\\\') | replace("'", "\\'")) ~ "'"
                    ) -%}
                {%- endif -%}
            {%- endfor -%}
            {%- do rows.append('(' ~ values | join(', ') ~ ')') -%}
        {%- endfor -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {{ rows | join(',\n') }}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.first -%}
            {%- do statements.append(sql) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(statements[0] if statements else '') }}
{% endmacro %}
