{#- Beyond HubSpot: weekly enrollment cohort curves. One row per sequence x
    cohort week (Monday of the week of enrolled_at in var('reporting_timezone'))
    x day since enrollment d, 0 to var('sequence_cohort_days', 28): the
    cohort's started enrollments, and how many had their first reply / first
    meeting by the end of day d (less than (d + 1) x 24 h after enrolled_at),
    cumulative, with rates over the cohort. observed_enrollments counts the
    members whose day d had fully elapsed by as_of; a point is final when it
    equals cohort_enrollments. Counts add up across sequences. -#}
{#- A view: int_sequence_enrollment_cohorts holds each cohort once, with its
    day counts as columns, and this mart turns them into the day grid
    (var('sequence_cohort_days') + 1 rows per cohort) when read, so the
    warehouse stores no copy per day. A filter on the sequence or the cohort
    week reaches the table's scan. -#}
{{ config(materialized='view') }}
{%- set cohort_days = var('sequence_cohort_days', 28) | int %}

with cohorts as (

    select * from {{ ref('int_sequence_enrollment_cohorts') }}

),

dim_sequences as (

    select * from {{ ref('dim_sequences') }}

),

day_spine as (

    {%- for day in range(cohort_days + 1) %}
    select {{ day }} as days_since_enrollment
    {{ "union all" if not loop.last }}
    {%- endfor %}

),

-- one row per day of the grid
curve as (

    select
        cohorts.sequence_id,
        dim_sequences.sequence_name,
        cohorts.cohort_week,
        day_spine.days_since_enrollment,
        cohorts.cohort_enrollments,
        {{ sequence_cohort_day_pick(
            'cohorts.replied', 'day_spine.days_since_enrollment', cohort_days
        ) }} as replied_count,
        {{ sequence_cohort_day_pick(
            'cohorts.meeting', 'day_spine.days_since_enrollment', cohort_days
        ) }} as meeting_count,
        {{ sequence_cohort_day_pick(
            'cohorts.unobserved', 'day_spine.days_since_enrollment', cohort_days
        ) }} as unobserved
    from cohorts
    cross join day_spine
    left join dim_sequences
        on cohorts.sequence_id = dim_sequences.sequence_id

),

final as (

    select
        sequence_id,
        sequence_name,
        cohort_week,
        days_since_enrollment,
        cast(cohort_enrollments as {{ dbt.type_bigint() }}) as cohort_enrollments,
        cast(cohort_enrollments - unobserved as {{ dbt.type_bigint() }})
            as observed_enrollments,
        cast(replied_count as {{ dbt.type_bigint() }}) as replied_count,
        cast(meeting_count as {{ dbt.type_bigint() }}) as meeting_count,
        {{ safe_ratio('replied_count', 'cohort_enrollments') }} as replied_rate,
        {{ safe_ratio('meeting_count', 'cohort_enrollments') }} as meeting_rate
    from curve

)

select * from final
