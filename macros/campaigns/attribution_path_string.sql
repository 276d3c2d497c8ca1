{#- An aggregate: the values of `channel_column` of a group in the order of
    `order_column`, joined by `separator` (a journey's path, 'A > B > C').
    Ordered string aggregation differs per engine: DuckDB and PostgreSQL have
    `string_agg(... order by ...)`; Spark sorts the collected (order, channel)
    pairs, which compare by their first field, then keeps the channels. -#}
{% macro attribution_path_string(channel_column, order_column, separator=' > ') -%}
    {{ return(adapter.dispatch('attribution_path_string', 'gtm_analytics')(
        channel_column, order_column, separator
    )) }}
{%- endmacro %}

{% macro default__attribution_path_string(channel_column, order_column, separator) -%}
    string_agg({{ channel_column }}, '{{ separator }}' order by {{ order_column }})
{%- endmacro %}

{% macro spark__attribution_path_string(channel_column, order_column, separator) -%}
    array_join(
        transform(
            array_sort(collect_list(struct({{ order_column }} as path_order, {{ channel_column }} as path_channel))),
            step -> step.path_channel
        ),
        '{{ separator }}'
    )
{%- endmacro %}
