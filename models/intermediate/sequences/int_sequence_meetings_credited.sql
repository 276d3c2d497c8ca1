{#- One row per started enrollment that booked a meeting, with its first
    meeting and the step credited with it (sequences.md):
    * a qualifying meeting is a meeting of the enrollment's contact booked in
      [enrolled_at, window_end_at + var('meeting_window_days') days] (both
      ends, 24 h days, never after as_of; 0 days is HubSpot's legacy rule);
    * unenroll_source MEETING also means booked; known only from there, the
      meeting happened at ended_at (ACCOUNT_MEETING does not count);
    * the first meeting (earliest booked_at, then meeting_id) is the
      enrollment's and goes to the step executed last at or before it (the
      window's extra days go to the last executed step), or to no step when it
      came before the first execution. -#}
{%- set meeting_window_end = dbt.dateadd(
    'day', var('meeting_window_days'), 'window_end_at'
) %}
with enrollments as (

    select * from {{ ref('int_sequence_enrollments_windowed') }}
    where is_started

),

meetings as (

    select * from {{ staged_rows('meetings') }} as meetings

),

executions as (

    select * from {{ ref('int_sequence_steps_executed') }}

),

meeting_windows as (

    select
        enrollment_id,
        contact_id,
        enrolled_at,
        ended_at,
        unenroll_source,
        case
            when {{ meeting_window_end }} < as_of then {{ meeting_window_end }}
            else as_of
        end as meeting_window_end_at
    from enrollments

),

qualifying_meetings as (

    select
        meeting_windows.enrollment_id,
        meetings.meeting_id,
        meetings.booked_at,
        row_number() over (
            partition by meeting_windows.enrollment_id
            order by meetings.booked_at, meetings.meeting_id
        ) as meeting_number,
        count(*) over (partition by meeting_windows.enrollment_id) as qualifying_meetings
    from meeting_windows
    inner join meetings
        on
            meeting_windows.contact_id = meetings.contact_id
            and meeting_windows.enrolled_at <= meetings.booked_at
            and meeting_windows.meeting_window_end_at >= meetings.booked_at

),

first_booked_meetings as (

    select * from qualifying_meetings
    where meeting_number = 1

),

first_meetings as (

    select
        meeting_windows.enrollment_id,
        first_booked_meetings.meeting_id,
        coalesce(first_booked_meetings.qualifying_meetings, 0) as qualifying_meetings,
        case
            when first_booked_meetings.enrollment_id is not null then 'MEETING'
            else 'UNENROLL_SOURCE'
        end as meeting_evidence,
        meeting_windows.meeting_window_end_at,
        coalesce(first_booked_meetings.booked_at, meeting_windows.ended_at) as first_meeting_at
    from meeting_windows
    left join first_booked_meetings
        on meeting_windows.enrollment_id = first_booked_meetings.enrollment_id
    where
        first_booked_meetings.enrollment_id is not null
        or meeting_windows.unenroll_source = 'MEETING'

),

current_steps as (

    select
        first_meetings.enrollment_id,
        executions.step_id
    from first_meetings
    inner join executions
        on
            first_meetings.enrollment_id = executions.enrollment_id
            and first_meetings.first_meeting_at >= executions.executed_at
            and (
                executions.next_executed_at is null
                or first_meetings.first_meeting_at < executions.next_executed_at
            )

),

final as (

    select
        first_meetings.enrollment_id,
        first_meetings.meeting_id,
        current_steps.step_id as credited_step_id,
        first_meetings.meeting_evidence,
        first_meetings.qualifying_meetings,
        first_meetings.meeting_window_end_at,
        first_meetings.first_meeting_at
    from first_meetings
    left join current_steps
        on first_meetings.enrollment_id = current_steps.enrollment_id

)

select * from final
