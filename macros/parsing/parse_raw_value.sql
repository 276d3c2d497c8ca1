{#- One entry point from a raw contract type (the `contract_type` meta of the
    base models' columns) to its parser: staging and the contract test share it,
    so "does not parse" means the same thing in both. -#}
{% macro parse_raw_value(column, contract_type) -%}
    {%- if contract_type == 'timestamp' -%}
        {{ parse_timestamp(column) }}
    {%- elif contract_type == 'date' -%}
        {{ parse_date(column) }}
    {%- elif contract_type == 'integer' -%}
        {{ parse_integer(column) }}
    {%- elif contract_type == 'decimal' -%}
        {{ parse_decimal(column) }}
    {%- elif contract_type == 'numeric' -%}
        {{ parse_decimal(column, 4) }}
    {%- elif contract_type == 'boolean' -%}
        {{ parse_boolean(column) }}
    {%- elif contract_type == 'enum' -%}
        {{ parse_enum(column) }}
    {%- elif contract_type == 'text' -%}
        {{ column }}
    {%- else -%}
        {{ exceptions.raise_compiler_error("unknown contract_type '" ~ contract_type ~ "'") }}
    {%- endif -%}
{%- endmacro %}
