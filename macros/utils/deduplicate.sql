{#- Keep one row per key. Raw rows may repeat (at-least-once delivery); the
    first row in `order_by` wins (e.g. the latest `updated_at`), and the other
    columns break ties so that the choice is the same on every run and engine.
    PostgreSQL has no QUALIFY: `distinct on` keeps the same first row. -#}
{% macro deduplicate(relation, partition_by, order_by) -%}
    {{ return(adapter.dispatch('deduplicate', 'gtm_analytics')(relation, partition_by, order_by)) }}
{%- endmacro %}

{% macro default__deduplicate(relation, partition_by, order_by) -%}
    select *
    from {{ relation }}
    qualify row_number() over (
        partition by {{ partition_by | join(', ') }}
        order by
            {%- for item in order_by %}
            {{ item }} nulls last{{ "," if not loop.last }}
            {%- endfor %}
    ) = 1
{%- endmacro %}

{% macro postgres__deduplicate(relation, partition_by, order_by) -%}
    select distinct on ({{ partition_by | join(', ') }}) *
    from {{ relation }}
    order by
        {%- for item in partition_by %}
        {{ item }},
        {%- endfor %}
        {%- for item in order_by %}
        {{ item }} nulls last{{ "," if not loop.last }}
        {%- endfor %}
{%- endmacro %}
