{#- Keep one row per key. Raw rows may repeat (at-least-once delivery); the
    first row in `order_by` wins (e.g. the latest `updated_at`), and the other
    columns break ties so that the choice is the same on every run and engine.

    Repeats are rare, so the cost must not be a sort of every row: a hash
    aggregate finds the keys that repeat, the rows of every other key pass as
    they are, and only the rows of repeated keys are ranked. PostgreSQL has no
    QUALIFY: `distinct on` keeps the same first row there. Key columns are never
    null (the raw_contract test stops the build first). -#}
{% macro deduplicate(relation, partition_by, order_by) -%}
    {{ return(adapter.dispatch('deduplicate', 'gtm_analytics')(relation, partition_by, order_by)) }}
{%- endmacro %}

{#- `alias.key = repeated.key and ...` for the key columns. -#}
{% macro _deduplicate_key_match(alias, partition_by) -%}
    {%- for key in partition_by -%}
        {{ alias }}.{{ key }} = repeated.{{ key }}{{ " and " if not loop.last }}
    {%- endfor -%}
{%- endmacro %}

{#- The CTE of repeated keys and the rows whose key does not repeat, which
    pass as they are; the caller adds `union all` and the ranked copies. -#}
{% macro _deduplicate_unrepeated(relation, partition_by) -%}
    with repeated_keys as (
        select {{ partition_by | join(', ') }}
        from {{ relation }}
        group by {{ partition_by | join(', ') }}
        having count(*) > 1
    )

    select *
    from {{ relation }} as single
    where not exists (
        select 1 from repeated_keys as repeated
        where {{ _deduplicate_key_match('single', partition_by) }}
    )
{%- endmacro %}

{% macro default__deduplicate(relation, partition_by, order_by) -%}
    {{ _deduplicate_unrepeated(relation, partition_by) }}

    union all

    select *
    from {{ relation }} as copies
    where exists (
        select 1 from repeated_keys as repeated
        where {{ _deduplicate_key_match('copies', partition_by) }}
    )
    qualify row_number() over (
        partition by {{ partition_by | join(', ') }}
        order by
            {%- for item in order_by %}
            {{ item }} nulls last{{ "," if not loop.last }}
            {%- endfor %}
    ) = 1
{%- endmacro %}

{% macro postgres__deduplicate(relation, partition_by, order_by) -%}
    {{ _deduplicate_unrepeated(relation, partition_by) }}

    union all

    (
        select distinct on ({{ partition_by | join(', ') }}) *
        from {{ relation }} as copies
        where exists (
            select 1 from repeated_keys as repeated
            where {{ _deduplicate_key_match('copies', partition_by) }}
        )
        order by
            {%- for item in partition_by %}
            {{ item }},
            {%- endfor %}
            {%- for item in order_by %}
            {{ item }} nulls last{{ "," if not loop.last }}
            {%- endfor %}
    )
{%- endmacro %}
