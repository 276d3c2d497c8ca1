{#- The rows of `relation` that an incremental model still has to add: all
    of them on a full refresh (or the first build), otherwise only those whose
    `unique_key` is not in the model's table yet - so a repeat of a row that was
    loaded by an earlier build is never added a second time.

    With `event_time`, an incremental run also reads only the rows whose event
    time is at or after the lookback window's start: the latest event time
    already loaded less var('incremental_lookback_days') days. A late row inside
    the window is added; a late row before it is not read (a full refresh adds
    it). The window's start is measured on the model's own table, never on the
    clock. var('incremental_lookback_days') null reads every row (no window).

    Why a key test on top of the window: rows repeat (at-least-once delivery),
    and the repeat of an event already loaded falls inside the window as often
    as the original did. Because the result never holds a loaded key, the
    `append` strategy is enough on every engine (Spark's Parquet tables have no
    MERGE). -#}
{% macro incremental_new_rows(relation, unique_key, event_time=none) -%}
    {#- a unit test with no `this` input has no table to compare with: dbt's
        is_incremental() would fail on it, so it tests the full-refresh path -#}
    {%- if this is none or not is_incremental() %}
    select * from {{ relation }}
    {%- else -%}
        {%- set lookback_days = var('incremental_lookback_days') -%}
        {%- set windowed = event_time is not none and lookback_days is not none -%}
        {%- if windowed and (
            lookback_days is not number or lookback_days < 0 or lookback_days != lookback_days | int
        ) -%}
            {{ exceptions.raise_compiler_error(
                "var incremental_lookback_days must be a whole number of days, 0 or more, "
                ~ "or null (no window); got " ~ lookback_days
            ) }}
        {%- endif %}
    select candidate.*
    from {{ relation }} as candidate
        {%- if windowed %}
    cross join (
        select
            {{ dbt.dateadd('day', -(lookback_days | int), 'max(' ~ event_time ~ ')') }}
                as window_start
        from {{ this }}
    ) as loaded_window
        {%- endif %}
    where
        {%- if windowed %}
        -- an empty table has no window yet: every row is new
        (
            loaded_window.window_start is null
            or candidate.{{ event_time }} >= loaded_window.window_start
        )
        and
        {%- endif %}
        not exists (
            select 1
            from {{ this }} as loaded
            where loaded.{{ unique_key }} = candidate.{{ unique_key }}
        )
    {%- endif %}
{%- endmacro %}
