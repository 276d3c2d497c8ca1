{#- The weekly enrollment cohorts of sequence_enrollment_cohorts, compact: one
    row per sequence x cohort week (Monday of the week of enrolled_at in
    var('reporting_timezone')) with the cohort's started enrollments and, for
    each day since enrollment d from 0 to var('sequence_cohort_days', 28),
    cumulative counts as columns: replied_by_day_<d> and meeting_by_day_<d>
    (first reply / first meeting by the end of day d, less than (d + 1) x 24 h
    after enrolled_at) and unobserved_by_day_<d> (members whose day d had not
    fully elapsed by as_of). The mart view expands each row into the day grid,
    so the warehouse stores a cohort once instead of once per day. -#}
{#- Kept in the file, never in the build's scratch database: the mart view
    sequence_enrollment_cohorts reads it. -#}
{{ config(
    database=target.get('database'),
) }}
{%- set cohort_days = var('sequence_cohort_days', 28) | int %}
{%- set day_figures = [
    ('replied', 'reply_day'),
    ('meeting', 'meeting_day'),
    ('unobserved', 'elapsed_days'),
] %}


with enrollments as (

    select * from {{ ref('int_sequence_enrollments_summarized') }}
    where is_started

),

as_of as (

    select * from {{ ref('int_as_of') }}

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

-- cumulative: what happened by the end of each day d, one column per day (no
-- window over the day grid); a day before enrollment (a reply stamped
-- earlier) counts from day 0 on. One aggregate per figure, over only the
-- members with that figure on the grid (a reply or meeting by the last day,
-- a day not yet elapsed): most members have none, and the cost is one filter
-- per member, day and figure: <figure>_counts.
{%- for figure, day_column in day_figures %}
{{ figure }}_counts as (

    select
        sequence_id,
        cohort_week,
        {{ sequence_cohort_day_counts([(figure, day_column)], cohort_days) }}
    from enrollment_days
    where {{ day_column }} <= {{ cohort_days }}
    group by sequence_id, cohort_week

),
{% endfor %}
final as (

    select
        cohort_sizes.sequence_id,
        cohort_sizes.cohort_week,
        cohort_sizes.cohort_enrollments,
        {{ sequence_cohort_day_columns([day_figures[0]], cohort_days, 'replied_counts') }},
        {{ sequence_cohort_day_columns([day_figures[1]], cohort_days, 'meeting_counts') }},
        {{ sequence_cohort_day_columns([day_figures[2]], cohort_days, 'unobserved_counts') }}
    from cohort_sizes
    left join replied_counts
        on
            cohort_sizes.sequence_id = replied_counts.sequence_id
            and cohort_sizes.cohort_week = replied_counts.cohort_week
    left join meeting_counts
        on
            cohort_sizes.sequence_id = meeting_counts.sequence_id
            and cohort_sizes.cohort_week = meeting_counts.cohort_week
    left join unobserved_counts
        on
            cohort_sizes.sequence_id = unobserved_counts.sequence_id
            and cohort_sizes.cohort_week = unobserved_counts.cohort_week

)

select * from final
