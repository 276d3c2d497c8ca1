{#- Custom schemas are used as given (staging, intermediate, marts, ...) rather
    than prefixed with the target schema: BI tools read `marts.<mart>`. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
