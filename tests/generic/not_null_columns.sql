{#- None of `columns` is null, in one scan of the model (one test per model
    instead of one per column). Returns one row per column with nulls and how
    many. -#}
{% test not_null_columns(model, columns) %}
with counted as (

    select
        {%- for column in columns %}
        count(*) filter (where {{ column }} is null) as nulls_{{ loop.index }}{{ "," if not loop.last }}
        {%- endfor %}
    from {{ model }}

),

{#- one row per column; the filter keeps those with nulls -#}
per_column as (
    {%- for column in columns %}

    select '{{ column }}' as column_name, nulls_{{ loop.index }} as null_rows from counted
    {{ "union all" if not loop.last }}
    {%- endfor %}

)

select * from per_column
where null_rows > 0
{% endtest %}
