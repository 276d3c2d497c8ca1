{#- A `select ... union all ...` of every conversion kind × attribution model
    (27 rows: conversion_kind, attribution_model, attribution_model_order), so
    that the attribution marts show every combination, zeros included. -#}
{% macro attribution_model_grid() -%}
    {%- set rows = [] -%}
    {%- for conversion_kind in attribution_conversion_kinds() -%}
        {%- for attribution_model in attribution_models() -%}
            {%- do rows.append(
                "select '" ~ conversion_kind ~ "' as conversion_kind, '"
                ~ attribution_model['name'] ~ "' as attribution_model, "
                ~ loop.index ~ " as attribution_model_order"
            ) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ rows | join('\n    union all\n    ') }}
{%- endmacro %}
