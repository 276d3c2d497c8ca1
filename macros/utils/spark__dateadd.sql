{#- Spark: dbt's `dateadd` as interval arithmetic on the timestamp. dbt-spark's
    own version goes through to_unix_timestamp, which drops fractions of a
    second (DuckDB and PostgreSQL keep them), and scales milliseconds wrongly.
    The session time zone is UTC (profiles.yml), so a day is 24 hours, as on
    the other engines. A null timestamp gives null. -#}
{% macro spark__dateadd(datepart, interval, from_date_or_timestamp) -%}
    {%- set seconds = {
        'week': 604800, 'day': 86400, 'hour': 3600, 'minute': 60, 'second': 1,
        'millisecond': 0.001, 'microsecond': 0.000001,
    } -%}
    {%- set months = {'month': 1, 'quarter': 3, 'year': 12} -%}
    {%- if datepart in seconds -%}
        (cast({{ from_date_or_timestamp }} as timestamp) + make_dt_interval(
            0, 0, 0, cast(({{ interval }}) * {{ seconds[datepart] }} as decimal(18, 6))
        ))
    {%- elif datepart in months -%}
        (cast({{ from_date_or_timestamp }} as timestamp) + make_ym_interval(
            0, cast(({{ interval }}) * {{ months[datepart] }} as int)
        ))
    {%- else -%}
        {{ exceptions.raise_compiler_error("dateadd: unknown datepart '" ~ datepart ~ "'") }}
    {%- endif -%}
{%- endmacro %}
