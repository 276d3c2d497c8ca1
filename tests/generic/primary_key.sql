{#- A primary key, in one aggregate: no key column is null and no two rows
    share the key. Returns each broken key with its number of rows (one query
    instead of a `unique` and a `not_null` test per column). -#}
{% test primary_key(model, columns) %}
select
    {{ columns | join(', ') }},
    count(*) as occurrences
from {{ model }}
group by {{ columns | join(', ') }}
having
    count(*) > 1
    {%- for column in columns %}
    or {{ column }} is null
    {%- endfor %}
{% endtest %}
