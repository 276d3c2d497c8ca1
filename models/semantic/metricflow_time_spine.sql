{#- The day spine MetricFlow joins metrics to (one row per day over the years
    the data can cover). -#}
with days as (

    {{ dbt.date_spine(
        'day',
        "cast('2020-01-01' as date)",
        "cast('2031-01-01' as date)"
    ) }}

),

final as (

    select cast(date_day as date) as date_day
    from days

)

select * from final
