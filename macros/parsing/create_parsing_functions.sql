{#- SQL for the on-run-start hook: the safe-cast functions that the parse_*
    macros call on engines without `try_cast`. Empty (no statement) on DuckDB
    and Spark, which have `try_cast`.

    PostgreSQL: one function per type in the target schema; each returns null
    instead of raising when the text does not parse, and reads an instant
    without an offset as UTC whatever the session's time zone. They follow
    the other engines on every value of the raw contract (ISO dates and
    instants, decimal numbers; an integer is a whole number, a fraction other
    than `.0` makes it null - never rounded - as in parse_integer);
    words such as `now`, `today` or `epoch` that PostgreSQL would read as
    dates are refused, as on DuckDB. -#}
{% macro create_parsing_functions() -%}
    {{ return(adapter.dispatch('create_parsing_functions', 'gtm_analytics')()) }}
{%- endmacro %}

{% macro default__create_parsing_functions() -%}
{%- endmacro %}

{% macro postgres__create_parsing_functions() -%}
{%- set schema = target.schema -%}
create schema if not exists {{ schema }};

create or replace function {{ schema }}.gtm_try_timestamp(value text)
returns timestamp language plpgsql immutable set timezone to 'UTC' as $gtm$
begin
    if value !~ '^[0-9]{4,}-[0-9]{1,2}-[0-9]{1,2}([ T]|$)' then
        return null;
    end if;
    return cast(value as timestamp with time zone) at time zone 'UTC';
exception when others then
    return null;
end
$gtm$;

create or replace function {{ schema }}.gtm_try_date(value text)
returns date language plpgsql immutable as $gtm$
begin
    if value !~ '^[0-9]{4,}-[0-9]{1,2}-[0-9]{1,2}([ T]|$)' then
        return null;
    end if;
    return cast(value as date);
exception when others then
    return null;
end
$gtm$;

create or replace function {{ schema }}.gtm_try_integer(value text)
returns integer language plpgsql immutable as $gtm$
begin
    if value !~ '^[+-]?[0-9]+([.]0+)?$' then
        return null;
    end if;
    return cast(cast(value as numeric) as integer);
exception when others then
    return null;
end
$gtm$;

create or replace function {{ schema }}.gtm_try_decimal(
    value text, total_digits integer, scale integer
)
returns numeric language plpgsql immutable as $gtm$
declare
    parsed numeric;
begin
    parsed := round(cast(value as numeric), scale);
    if parsed = 'NaN' or abs(parsed) >= power(10::numeric, total_digits - scale) then
        return null;
    end if;
    return parsed;
exception when others then
    return null;
end
$gtm$;
{%- endmacro %}
