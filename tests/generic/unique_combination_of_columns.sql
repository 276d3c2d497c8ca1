{#- Primary key over several columns: no two rows share the combination (null
    parts compare equal, as in a group by; macro broken_keys finds repeats with
    a hash aggregate first). -#}
{% test unique_combination_of_columns(model, combination_of_columns) %}
{{ broken_keys(model, combination_of_columns, null_parts_break=false) }}
{% endtest %}
