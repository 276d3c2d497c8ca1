{#- The landing view of one raw table: every contract column, typed, in
    contract order (columns from raw_contract()).

    Where the rows come from:
    * demo mode (vars raw_dir and raw_schema unset): the seed of the same name;
      a table the contract marks optional may be absent in the other modes;
    * raw-directory mode (var raw_dir): <raw_dir>/<table>.parquet, else
      <table>.csv (raw_file_reader: clear messages for a missing table or column
      and a malformed CSV line);
    * raw-schema mode (var raw_schema): the table <raw_schema>.<table> of the
      target database, with the same checks.

    How a column is typed (raw_typed_column): a Parquet column that already has
    the contract's type is read as it is; text (CSV, seeds, raw-schema tables,
    Parquet text columns) is parsed. A column whose typing can turn a value into
    null (a parse, a narrowing cast) is followed by `<column>__raw`, the value as
    read, so that the raw_contract test can tell "null" from "does not parse";
    nothing downstream reads it. -#}
{% macro select_raw_table(table_name) -%}
    {%- set raw_dir = var('raw_dir') -%}
    {%- set raw_schema = var('raw_schema', none) -%}
    {%- set columns = raw_contract()[table_name]['columns'] -%}
    {%- set optional = raw_contract()[table_name]['optional'] -%}
    {%- set source = {'relation': none, 'types': {}} -%}
    {%- if raw_dir is not none and raw_schema is not none -%}
        {{ exceptions.raise_compiler_error(
            "vars raw_dir and raw_schema are both set: read the raw tables from files "
            ~ "(raw_dir) or from a schema of the target database (raw_schema), not both"
        ) }}
    {%- elif raw_dir is not none -%}
        {%- set read = raw_file_reader(
            raw_dir, table_name, columns | map(attribute='name') | list, optional
        ) -%}
        {%- if read is not none -%}
            {%- do source.update(read) -%}
        {%- endif -%}
    {%- elif raw_schema is not none -%}
        {%- do source.update({'relation': raw_schema_relation(
            raw_schema, table_name, columns | map(attribute='name') | list, optional
        )}) -%}
    {%- else -%}
        {%- do source.update({'relation': ref(table_name)}) -%}
    {%- endif -%}
    {%- set items = [] -%}
    {%- for column in columns -%}
        {%- set raw_value = column.name if source.relation is not none
            else 'cast(null as ' ~ dbt.type_string() ~ ')' -%}
        {%- set typed = raw_typed_column(
            raw_value, column.type, source.types.get(column.name | lower)
        ) -%}
        {%- do items.append(typed.typed ~ ' as ' ~ column.name) -%}
        {%- if typed.raw is not none -%}
            {%- do items.append(typed.raw ~ ' as ' ~ column.name ~ '__raw') -%}
        {%- endif -%}
    {%- endfor %}
select
    {{ items | join(',\n    ') }}
    {%- if source.relation is not none %}
from {{ source.relation }}
    {%- else %}
where false
    {%- endif %}
{%- endmacro %}


{#- One raw column as the landing view types it: {'typed': expression of the
    contract type, 'raw': the value as read when typing can lose it (else none)}.
    `source_type` is the column's DuckDB type in a Parquet or CSV file; none
    (seeds, raw-schema tables) means "read as text". Only conversions that give
    exactly what parsing the value's text would give are taken as they are;
    any other type is read as text and parsed. -#}
{% macro raw_typed_column(column, contract_type, source_type=none) -%}
    {%- set small_integers = ['TINYINT', 'SMALLINT', 'UTINYINT', 'USMALLINT', 'INTEGER'] -%}
    {%- set wide_integers = ['BIGINT', 'UINTEGER', 'UBIGINT', 'HUGEINT', 'UHUGEINT'] -%}
    {%- set type = (source_type or '') | upper -%}
    {%- set decimal_scale = type[8:-1].split(',')[1] | trim | int
        if type.startswith('DECIMAL(') else none -%}
    {%- set wanted_scale = {'decimal': 2, 'numeric': 4}.get(contract_type) -%}
    {%- if contract_type == 'timestamp' and type == 'TIMESTAMP WITH TIME ZONE' -%}
        {#- the instant's UTC wall time from its microseconds since the epoch:
            the same value as timezone('UTC', ...), at a seventh of its cost;
            infinities (no epoch) keep timezone()'s result -#}
        {{ return({
            'typed': 'case when isfinite(' ~ column ~ ') then make_timestamp(epoch_us(' ~ column
                ~ ")) else cast(timezone('UTC', " ~ column ~ ') as timestamp) end',
            'raw': none,
        }) }}
    {%- elif contract_type == 'timestamp' and type in ['TIMESTAMP', 'TIMESTAMP_S', 'TIMESTAMP_MS'] -%}
        {{ return({'typed': 'cast(' ~ column ~ ' as timestamp)', 'raw': none}) }}
    {%- elif contract_type == 'boolean' and type == 'BOOLEAN' -%}
        {{ return({'typed': column, 'raw': none}) }}
    {%- elif contract_type == 'date' and type == 'DATE' -%}
        {{ return({'typed': column, 'raw': none}) }}
    {%- elif contract_type == 'integer' and type in small_integers -%}
        {{ return({'typed': 'cast(' ~ column ~ ' as integer)', 'raw': none}) }}
    {%- elif contract_type == 'integer' and type in wide_integers -%}
        {{ return({'typed': 'try_cast(' ~ column ~ ' as integer)', 'raw': column}) }}
    {%- elif wanted_scale is not none and (
        type in small_integers or type in wide_integers
        or (decimal_scale is not none and decimal_scale <= wanted_scale)
    ) -%}
        {{ return({
            'typed': 'try_cast(' ~ column ~ ' as decimal(18, ' ~ wanted_scale ~ '))',
            'raw': column,
        }) }}
    {%- endif -%}
    {#- text: as it is (VARCHAR) or cast to text, then parsed -#}
    {%- set text = column if type == 'VARCHAR'
        else 'cast(' ~ column ~ ' as ' ~ dbt.type_string() ~ ')' -%}
    {%- if contract_type in ['text', 'enum'] -%}
        {#- never null where the text is not: nothing to keep -#}
        {{ return({'typed': parse_raw_value(text, contract_type), 'raw': none}) }}
    {%- endif -%}
    {{ return({'typed': parse_raw_value(text, contract_type), 'raw': text}) }}
{%- endmacro %}
