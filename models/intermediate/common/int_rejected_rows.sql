{#- Grain: one row per staged row and foreign-key column that names no row of
    its parent table (raw contract, "Bad input"), with the reason. This is where
    rejected rows are decided, once: macro staged_rows keeps them out of every
    intermediate model, audit_rejected_rows reports them. The parent is the
    whole staged parent table, so a row is never rejected only because its own
    parent was. One anti-join per parent table and key on the foreign-key values
    alone (macro orphan_values), then the few rows holding an orphan value
    (macro orphan_rows). -#}
{%- set children_by_parent = {} -%}
{%- for table_name, column_name, parent_table, parent_key in raw_foreign_keys() -%}
{%- set parent = (parent_table, parent_key) -%}
{%- if parent not in children_by_parent -%}
{%- do children_by_parent.update({parent: []}) -%}
{%- endif -%}
{%- do children_by_parent[parent].append((table_name, column_name)) -%}
{%- endfor %}
with
{%- for parent, children in children_by_parent.items() %}

orphan_values_{{ loop.index }} as (

    {{ orphan_values(parent[0], parent[1], children) }}

),
{%- endfor %}

rejected as (
    {%- for parent, children in children_by_parent.items() %}

    {{ orphan_rows(parent[0], parent[1], children, 'orphan_values_' ~ loop.index) }}
    {{ "union all" if not loop.last }}
    {%- endfor %}

),

final as (

    select * from rejected

)

select * from final
