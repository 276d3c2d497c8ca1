{#- The model is empty: used at warning level on the rejects model, so orphan
    rows are reported without failing the build. -#}
{% test has_no_rows(model) %}
select * from {{ model }}
{% endtest %}
