{#- A primary key, in one aggregate: no key column is null and no two rows
    share the key. Returns each broken key with its number of rows (one query
    instead of a `unique` and a `not_null` test). On a model with `columns`;
    on a column, that column alone. -#}
{% test primary_key(model, columns=none, column_name=none) %}
{%- set key = columns if columns is not none else [column_name] -%}
select
    {{ key | join(', ') }},
    count(*) as occurrences
from {{ model }}
group by {{ key | join(', ') }}
having
    count(*) > 1
    {%- for column in key %}
    or {{ column }} is null
    {%- endfor %}
{% endtest %}
