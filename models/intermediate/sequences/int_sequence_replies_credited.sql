{#- One row per started enrollment that replied, with its first reply and the
    step credited with it (sequences.md, "Per-enrollment facts" and "Step
    performance"):
    * a qualifying reply is an inbound email from the enrollment's contact,
      received inside the window [enrolled_at, window_end_at] (both ends) and
      not an auto-reply, whether or not it answers a sequence email;
    * unenroll_source REPLY or THREAD_REPLY also means replied; known only from
      there, the reply happened at ended_at (ACCOUNT_REPLY does not count);
    * the first reply (earliest received_at, then inbound_email_id) is the
      enrollment's; it goes to the step of the email named by
      in_reply_to_email_id when that email is one of this enrollment's, else to
      the step the enrollment was at (the step executed last at or before the
      reply), else (before the first execution) to no step. -#}
with enrollments as (

    select * from {{ ref('int_sequence_enrollments_windowed') }}
    where is_started

),

inbound_emails as (

    select * from {{ staged_rows('inbound_emails') }} as inbound_emails

),

emails as (

    select * from {{ ref('int_sequence_emails_engaged') }}

),

executions as (

    select * from {{ ref('int_sequence_steps_executed') }}

),

qualifying_replies as (

    select
        enrollments.enrollment_id,
        inbound_emails.inbound_email_id,
        inbound_emails.in_reply_to_email_id,
        inbound_emails.received_at,
        row_number() over (
            partition by enrollments.enrollment_id
            order by inbound_emails.received_at, inbound_emails.inbound_email_id
        ) as reply_number,
        count(*) over (partition by enrollments.enrollment_id) as qualifying_replies
    from enrollments
    inner join inbound_emails
        on
            enrollments.contact_id = inbound_emails.contact_id
            and enrollments.enrolled_at <= inbound_emails.received_at
            and enrollments.window_end_at >= inbound_emails.received_at
    where not coalesce(inbound_emails.is_auto_reply, false)

),

first_inbound_replies as (

    select * from qualifying_replies
    where reply_number = 1

),

first_replies as (

    select
        enrollments.enrollment_id,
        first_inbound_replies.inbound_email_id,
        first_inbound_replies.in_reply_to_email_id,
        coalesce(first_inbound_replies.qualifying_replies, 0) as qualifying_replies,
        case
            when first_inbound_replies.enrollment_id is not null then 'INBOUND_EMAIL'
            else 'UNENROLL_SOURCE'
        end as reply_evidence,
        coalesce(first_inbound_replies.received_at, enrollments.ended_at) as first_reply_at
    from enrollments
    left join first_inbound_replies
        on enrollments.enrollment_id = first_inbound_replies.enrollment_id
    where
        first_inbound_replies.enrollment_id is not null
        or enrollments.unenroll_source in ('REPLY', 'THREAD_REPLY')

),

answered_steps as (

    select
        first_replies.enrollment_id,
        emails.step_id
    from first_replies
    inner join emails
        on
            first_replies.in_reply_to_email_id = emails.email_id
            and first_replies.enrollment_id = emails.enrollment_id

),

current_steps as (

    select
        first_replies.enrollment_id,
        executions.step_id
    from first_replies
    inner join executions
        on
            first_replies.enrollment_id = executions.enrollment_id
            and first_replies.first_reply_at >= executions.executed_at
            and (
                executions.next_executed_at is null
                or first_replies.first_reply_at < executions.next_executed_at
            )

),

final as (

    select
        first_replies.enrollment_id,
        first_replies.inbound_email_id,
        first_replies.in_reply_to_email_id,
        coalesce(answered_steps.step_id, current_steps.step_id) as credited_step_id,
        case
            when answered_steps.step_id is not null then 'IN_REPLY_TO_EMAIL'
            when current_steps.step_id is not null then 'CURRENT_STEP'
            else 'NO_STEP'
        end as crediting_rule,
        first_replies.reply_evidence,
        first_replies.qualifying_replies,
        first_replies.first_reply_at
    from first_replies
    left join answered_steps
        on first_replies.enrollment_id = answered_steps.enrollment_id
    left join current_steps
        on first_replies.enrollment_id = current_steps.enrollment_id

)

select * from final
