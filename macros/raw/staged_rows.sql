{#- The staged rows of a raw table that reach the marts: every row but those
    listed in audit_rejected_rows. Intermediate models read raw tables only
    through this macro, so an orphan is kept out everywhere. -#}
{% macro staged_rows(table_name) -%}
    (
        select staged.*
        from {{ ref('stg_hubspot__' ~ table_name) }} as staged
        where not exists (
            select 1
            from {{ ref('audit_rejected_rows') }} as rejected
            where
                rejected.table_name = '{{ table_name }}'
                and rejected.row_key = {{ row_key(raw_primary_keys()[table_name], 'staged') }}
        )
    )
{%- endmacro %}
