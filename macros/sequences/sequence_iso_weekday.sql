{#- ISO day of the week of a timestamp: 1 = Monday ... 7 = Sunday, as an
    integer. -#}
{% macro sequence_iso_weekday(column) -%}
    {{ return(adapter.dispatch('sequence_iso_weekday', 'gtm_analytics')(column)) }}
{%- endmacro %}

{% macro default__sequence_iso_weekday(column) -%}
    cast(extract(isodow from {{ column }}) as {{ dbt.type_int() }})
{%- endmacro %}

{% macro spark__sequence_iso_weekday(column) -%}
    cast(extract(dayofweek_iso from {{ column }}) as {{ dbt.type_int() }})
{%- endmacro %}
