{#- parse_integer (raw contract: "a number that does not parse" stops the
    build): a whole number, with an optional sign and at most a zero fraction,
    spaces around trimmed; anything else is null - which the raw_contract test
    of the landing view reports - never rounded. A data test over literal
    cases, so it runs on every engine (the DuckDB, PostgreSQL and Spark
    variants are held to the same answers) and in every input mode. Returns
    the cases whose parse differs from the expected value. -#}
with cases as (

    select
        '7' as raw_value,
        cast(7 as integer) as expected

    union all

    select
        '  7 ' as raw_value,
        cast(7 as integer) as expected

    union all

    select
        '+7' as raw_value,
        cast(7 as integer) as expected

    union all

    select
        '-7' as raw_value,
        cast(-7 as integer) as expected

    union all

    select
        '7.0' as raw_value,
        cast(7 as integer) as expected

    union all

    select
        '1.5' as raw_value,
        cast(null as integer) as expected

    union all

    select
        '7.5' as raw_value,
        cast(null as integer) as expected

    union all

    select
        '.5' as raw_value,
        cast(null as integer) as expected

    union all

    select
        '7.' as raw_value,
        cast(null as integer) as expected

    union all

    select
        '1e3' as raw_value,
        cast(null as integer) as expected

    union all

    select
        '0x10' as raw_value,
        cast(null as integer) as expected

    union all

    select
        '1_000' as raw_value,
        cast(null as integer) as expected

    union all

    select
        '1,000' as raw_value,
        cast(null as integer) as expected

    union all

    select
        '2147483648' as raw_value,
        cast(null as integer) as expected

),

parsed as (

    select
        raw_value,
        expected,
        {{ parse_integer('raw_value') }} as actual
    from cases

),

final as (

    select *
    from parsed
    where
        (actual is null and expected is not null)
        or (actual is not null and expected is null)
        or actual != expected

)

select * from final
