{#- A primary key, in one test: no key column is null and no two rows share
    the key. Returns each broken key with its number of rows (one query
    instead of a `unique` and a `not_null` test; macro broken_keys finds them
    with a hash aggregate first). On a model with `columns`; on a column, that
    column alone. -#}
{% test primary_key(model, columns=none, column_name=none) %}
{{ broken_keys(model, columns if columns is not none else [column_name], null_parts_break=true) }}
{% endtest %}
