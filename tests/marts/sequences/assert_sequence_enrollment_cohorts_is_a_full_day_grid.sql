{#- The primary key of sequence_enrollment_cohorts (sequence_id, cohort_week,
    days_since_enrollment), in one aggregate per cohort instead of one per
    row: every cohort (sequence_id and cohort_week not null) has exactly the
    days 0 to var('sequence_cohort_days'), once each. With n + 1 rows whose
    days are whole numbers in [0, n], the days are distinct exactly when the
    powers 2^day add up to 2^(n + 1) - 1 (a repeated day carries and leaves a
    bit unset); past 61 days that sum outgrows a bigint and the test counts
    distinct days instead. Returns the broken cohorts. -#}
{%- set cohort_days = var('sequence_cohort_days', 28) | int %}
with cohorts as (

    select * from {{ ref('sequence_enrollment_cohorts') }}

),

grid as (

    select
        sequence_id,
        cohort_week,
        count(*) as grid_rows,
        count(days_since_enrollment) as grid_days,
        min(days_since_enrollment) as first_day,
        max(days_since_enrollment) as last_day,
        {%- if cohort_days <= 61 %}
        sum(cast(power(2, days_since_enrollment) as {{ dbt.type_bigint() }})) as day_bits
        {%- else %}
        count(distinct days_since_enrollment) as distinct_days
        {%- endif %}
    from cohorts
    group by sequence_id, cohort_week

),

final as (

    select * from grid
    where
        sequence_id is null
        or cohort_week is null
        or grid_rows != {{ cohort_days + 1 }}
        or grid_days != {{ cohort_days + 1 }}
        or first_day != 0
        or last_day != {{ cohort_days }}
        {%- if cohort_days <= 61 %}
        or day_bits != {{ 2 ** (cohort_days + 1) - 1 }}
        {%- else %}
        or distinct_days != {{ cohort_days + 1 }}
        {%- endif %}

)

select * from final
