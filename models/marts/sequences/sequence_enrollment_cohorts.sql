{#- Beyond HubSpot: weekly enrollment cohort curves. One row per sequence x
    cohort week (Monday of the week of enrolled_at in var('reporting_timezone'))
    x day since enrollment d, 0 to var('sequence_cohort_days', 28): the
    cohort's started enrollments, and how many had their first reply / first
    meeting by the end of day d (less than (d + 1) x 24 h after enrolled_at),
    cumulative, with rates over the cohort. observed_enrollments counts the
    members whose day d had fully elapsed by as_of; a point is final when it
    equals cohort_enrollments. Counts add up across sequences. -#}
{%- set cohort_days = var('sequence_cohort_days', 28) | int %}


with enrollments as (

    select * from {{ ref('int_sequence_enrollments_summarized') }}
    where is_started

),

as_of as (

    select * from {{ ref('int_as_of') }}

),

day_spine as (

    {%- for day in range(cohort_days + 1) %}
    select {{ day }} as days_since_enrollment
    {{ "union all" if not loop.last }}
    {%- endfor %}

),

enrollment_hours as (

    select
        enrollments.enrollment_id,
        enrollments.sequence_id,
        enrollments.enrollment_week as cohort_week,
        {{ sequence_hours_between('enrollments.enrolled_at', 'enrollments.first_reply_at') }}
            as hours_to_reply,
        {{ sequence_hours_between('enrollments.enrolled_at', 'enrollments.first_meeting_at') }}
            as hours_to_meeting,
        {{ sequence_hours_between('enrollments.enrolled_at', 'as_of.as_of') }} as hours_elapsed
    from enrollments
    cross join as_of

),

enrollment_days as (

    select
        enrollment_id,
        sequence_id,
        cohort_week,
        cast(floor(hours_to_reply / 24) as {{ dbt.type_int() }}) as reply_day,
        cast(floor(hours_to_meeting / 24) as {{ dbt.type_int() }}) as meeting_day,
        cast(floor(hours_elapsed / 24) as {{ dbt.type_int() }}) as elapsed_days
    from enrollment_hours

),

cohort_sizes as (

    select
        sequence_id,
        cohort_week,
        count(*) as cohort_enrollments
    from enrollment_days
    group by sequence_id, cohort_week

),

-- a day before enrollment (a reply stamped earlier) counts from day 0 on
day_events as (

    select
        sequence_id,
        cohort_week,
        case when reply_day < 0 then 0 else reply_day end as days_since_enrollment,
        1 as replies,
        0 as meetings,
        0 as unobserved
    from enrollment_days
    where reply_day <= {{ cohort_days }}

    union all

    select
        sequence_id,
        cohort_week,
        case when meeting_day < 0 then 0 else meeting_day end as days_since_enrollment,
        0 as replies,
        1 as meetings,
        0 as unobserved
    from enrollment_days
    where meeting_day <= {{ cohort_days }}

    union all

    select
        sequence_id,
        cohort_week,
        case when elapsed_days < 0 then 0 else elapsed_days end as days_since_enrollment,
        0 as replies,
        0 as meetings,
        1 as unobserved
    from enrollment_days
    where elapsed_days <= {{ cohort_days }}

),

daily_counts as (

    select
        sequence_id,
        cohort_week,
        days_since_enrollment,
        sum(replies) as replies,
        sum(meetings) as meetings,
        sum(unobserved) as unobserved
    from day_events
    group by sequence_id, cohort_week, days_since_enrollment

),

curve_days as (

    select
        cohort_sizes.sequence_id,
        cohort_sizes.cohort_week,
        day_spine.days_since_enrollment,
        cohort_sizes.cohort_enrollments,
        coalesce(daily_counts.replies, 0) as replies,
        coalesce(daily_counts.meetings, 0) as meetings,
        coalesce(daily_counts.unobserved, 0) as unobserved
    from cohort_sizes
    cross join day_spine
    left join daily_counts
        on
            cohort_sizes.sequence_id = daily_counts.sequence_id
            and cohort_sizes.cohort_week = daily_counts.cohort_week
            and day_spine.days_since_enrollment = daily_counts.days_since_enrollment

),

-- cumulative: everything that happened by the end of day d
curve as (

    select
        sequence_id,
        cohort_week,
        days_since_enrollment,
        cohort_enrollments,
        sum(replies) over (
            partition by sequence_id, cohort_week
            order by days_since_enrollment
            rows between unbounded preceding and current row
        ) as replied_count,
        sum(meetings) over (
            partition by sequence_id, cohort_week
            order by days_since_enrollment
            rows between unbounded preceding and current row
        ) as meeting_count,
        sum(unobserved) over (
            partition by sequence_id, cohort_week
            order by days_since_enrollment
            rows between unbounded preceding and current row
        ) as unobserved
    from curve_days

),

final as (

    select
        sequence_id,
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
