{#- One row per usable enrollment, seen as of `as_of` (sequences.md, "Base
    population" and "Precise rules"):
    * an enrollment has started when enrolled_at <= as_of and its state is not
      SCHEDULED; one whose enrolled_at is after as_of is shown as SCHEDULED;
    * an end (ended_at) after as_of has not happened: the enrollment is shown
      as EXECUTING, without ended_at, unenroll_source or error_type;
    * the window is [enrolled_at, coalesce(ended_at, as_of)] (the meeting
      window is int_sequence_meetings_credited's);
    * company_id is the enrollment's, else the contact's. -#}
with enrollments as (

    select * from {{ staged_rows('sequence_enrollments') }} as enrollments

),

contacts as (

    select * from {{ staged_rows('contacts') }} as contacts

),

as_of as (

    select * from {{ ref('int_as_of') }}

),

as_of_applied as (

    select
        enrollments.enrollment_id,
        enrollments.sequence_id,
        enrollments.contact_id,
        enrollments.enrolled_by_user_id,
        enrollments.company_id as enrollment_company_id,
        contacts.company_id as contact_company_id,
        enrollments.enrollment_state as reported_enrollment_state,
        enrollments.current_step_order as reported_current_step_order,
        case
            when enrollments.enrolled_at > as_of.as_of then 'SCHEDULED'
            when
                enrollments.enrollment_state in ('FINISHED', 'UNENROLLED')
                and enrollments.ended_at > as_of.as_of
                then 'EXECUTING'
            else enrollments.enrollment_state
        end as enrollment_state,
        enrollments.ended_at is null
        or enrollments.ended_at <= as_of.as_of as is_end_known,
        enrollments.updated_at is null
        or enrollments.updated_at <= as_of.as_of as is_snapshot_current,
        enrollments.enrolled_at,
        enrollments.ended_at as reported_ended_at,
        enrollments.unenroll_source as reported_unenroll_source,
        enrollments.error_type as reported_error_type,
        enrollments.updated_at,
        as_of.as_of
    from enrollments
    cross join as_of
    left join contacts
        on enrollments.contact_id = contacts.contact_id

),

windowed as (

    select
        enrollment_id,
        sequence_id,
        contact_id,
        enrolled_by_user_id,
        coalesce(enrollment_company_id, contact_company_id) as company_id,
        enrollment_state,
        reported_enrollment_state,
        case when is_snapshot_current then reported_current_step_order end
            as reported_current_step_order,
        case when is_end_known then reported_unenroll_source end as unenroll_source,
        case when is_end_known then reported_error_type end as error_type,
        enrollment_state != 'SCHEDULED' as is_started,
        is_snapshot_current,
        enrolled_at,
        case when is_end_known then reported_ended_at end as ended_at,
        coalesce(case when is_end_known then reported_ended_at end, as_of) as window_end_at,
        as_of
    from as_of_applied

),

final as (

    select
        enrollment_id,
        sequence_id,
        contact_id,
        enrolled_by_user_id,
        company_id,
        enrollment_state,
        reported_enrollment_state,
        unenroll_source,
        error_type,
        reported_current_step_order,
        is_started,
        is_snapshot_current,
        enrolled_at,
        ended_at,
        window_end_at,
        as_of
    from windowed

)

select * from final
