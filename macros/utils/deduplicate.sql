{#- Keep one row per key. Raw rows may repeat (at-least-once delivery); the
    first row in `order_by` wins (e.g. the latest `updated_at`), and the other
    columns break ties so that the choice is the same on every run and engine. -#}
{% macro deduplicate(relation, partition_by, order_by) -%}
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
