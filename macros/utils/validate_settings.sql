{#- The first on-run-start hook: every setting (dbt var) is checked before any
    node runs, and a bad one stops `dbt build` and `gtm build` with one message
    that names the var, the value and what it accepts. A var name the project
    does not read (a typo) is refused too. Renders no SQL. -#}
{% macro validate_settings() -%}
    {%- if not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- set problems = [] -%}
    {%- set given = invocation_args_dict.get('vars') or {} -%}
    {%- if given is string -%}
        {%- set given = fromyaml(given) or {} -%}
    {%- endif -%}
    {%- for name in given.keys() if name not in settings_accepted() -%}
        {%- do problems.append(
            "var " ~ name ~ " is not a setting of this project (the settings: "
            ~ settings_accepted() | join(', ') ~ ")"
        ) -%}
    {%- endfor -%}
    {%- set whole_days = [
        ('meeting_window_days', false), ('deal_attribution_window_days', true),
        ('sequence_cohort_days', false), ('sender_score_min_completed', false),
        ('incremental_lookback_days', true),
    ] -%}
    {%- for name, may_be_null in whole_days -%}
        {%- set value = var(name) -%}
        {%- if not (value is none and may_be_null)
            and not (value is number and value >= 0 and value == value | int) -%}
            {%- do problems.append(
                "var " ~ name ~ " = " ~ value ~ ": accepts a whole number, 0 or more"
                ~ (", or null" if may_be_null else "")
            ) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set lookback = var('attribution_lookback_days') -%}
    {%- if not (lookback is none or (lookback is number and lookback >= 0)) -%}
        {%- do problems.append(
            "var attribution_lookback_days = " ~ lookback
            ~ ": accepts a number of days, 0 or more, or null (no lookback)"
        ) -%}
    {%- endif -%}
    {%- set half_life = var('time_decay_half_life_days') -%}
    {%- if not (half_life is number and half_life > 0) -%}
        {%- do problems.append(
            "var time_decay_half_life_days = " ~ half_life ~ ": accepts a number of days above 0"
        ) -%}
    {%- endif -%}
    {%- for name in ['sender_score_reply_breakpoints', 'sender_score_bounce_breakpoints'] -%}
        {%- set points = var(name) -%}
        {%- set ok = points is sequence and points is not string and points | length > 0 -%}
        {%- set previous = [-1] -%}
        {%- for point in (points if ok else []) -%}
            {%- if not (point is sequence and point is not string and point | length == 2
                and point[0] is number and point[1] is number
                and point[0] >= 0 and point[0] <= 1 and point[0] > previous[-1]) -%}
                {%- set ok = false -%}
                {%- do previous.append(2) -%}
            {%- else -%}
                {%- do previous.append(point[0]) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if not ok or previous[-1] > 1 -%}
            {%- do problems.append(
                "var " ~ name ~ " = " ~ tojson(points) ~ ": accepts a list of [rate, points] "
                ~ "pairs, rates from 0 to 1 in increasing order"
            ) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set bands = var('sender_score_bands') -%}
    {%- set band_names = ['Excellent', 'Good', 'Fair'] -%}
    {%- if not (bands is mapping and bands.keys() | sort == band_names | sort
        and bands['Excellent'] is number and bands['Good'] is number and bands['Fair'] is number
        and bands['Excellent'] > bands['Good'] and bands['Good'] > bands['Fair']) -%}
        {%- do problems.append(
            "var sender_score_bands = " ~ tojson(bands) ~ ": accepts the lowest score of each "
            ~ "band, {\"Excellent\": N, \"Good\": N, \"Fair\": N}, Excellent > Good > Fair"
        ) -%}
    {%- endif -%}
    {%- set timezone = var('reporting_timezone') -%}
    {%- if timezone is not string or not settings_timezone_exists(timezone) -%}
        {%- do problems.append(
            "var reporting_timezone = " ~ timezone ~ ": accepts a time zone name the "
            ~ target.type ~ " engine knows (e.g. UTC, Europe/Berlin, America/New_York)"
        ) -%}
    {%- endif -%}
    {%- set as_of = var('as_of') -%}
    {%- if as_of is not none -%}
        {%- set parsed = run_query(
            "select " ~ parse_timestamp("'" ~ (as_of | string | replace("'", "''")) ~ "'")
        ) -%}
        {%- if parsed.rows[0][0] is none -%}
            {%- do problems.append(
                "var as_of = " ~ as_of ~ ": accepts an ISO-8601 instant "
                ~ "(2025-06-30T00:00:00Z; no offset means UTC) or null (the data's latest)"
            ) -%}
        {%- endif -%}
    {%- endif -%}
    {%- if problems | length > 0 -%}
        {{ exceptions.raise_compiler_error("bad setting: " ~ problems | join('; ')) }}
    {%- endif -%}
    {{ return('') }}
{%- endmacro %}

{#- The vars this project reads: the keys of `vars:` in dbt_project.yml (a test
    keeps the two equal). -#}
{% macro settings_accepted() -%}
    {{ return([
        'raw_dir', 'raw_schema', 'as_of', 'meeting_window_days',
        'deal_attribution_window_days', 'reporting_timezone',
        'sender_score_reply_breakpoints', 'sender_score_bounce_breakpoints',
        'sender_score_bands', 'sender_score_min_completed', 'sequence_cohort_days',
        'attribution_lookback_days', 'time_decay_half_life_days',
        'raw_freshness_warn_after_days', 'incremental_lookback_days',
    ]) }}
{%- endmacro %}

{#- Whether the engine knows a time zone name (its own list). -#}
{% macro settings_timezone_exists(name) -%}
    {{ return(adapter.dispatch('settings_timezone_exists', 'gtm_analytics')(name)) }}
{%- endmacro %}

{% macro default__settings_timezone_exists(name) -%}
    {%- set found = run_query(
        "select count(*) from pg_timezone_names() where name = '" ~ name | replace("'", "''") ~ "'"
    ) -%}
    {{ return(found.rows[0][0] > 0) }}
{%- endmacro %}

{% macro postgres__settings_timezone_exists(name) -%}
    {%- set found = run_query(
        "select count(*) from pg_timezone_names where name = '" ~ name | replace("'", "''") ~ "'"
    ) -%}
    {{ return(found.rows[0][0] > 0) }}
{%- endmacro %}

{#- Spark has no list of its zones in SQL: an unknown name gives null there. -#}
{% macro spark__settings_timezone_exists(name) -%}
    {%- set found = run_query(
        "select from_utc_timestamp(timestamp'2025-01-01 00:00:00', '"
        ~ name | replace("'", "''") ~ "') is not null"
    ) -%}
    {{ return(found.rows[0][0]) }}
{%- endmacro %}
