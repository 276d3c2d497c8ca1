{#- One row per sequence email sent (as int_sequence_emails_engaged), with
    whether its enrollment's first reply and first meeting were credited to
    the email's step (sequences.md, "Email (template) performance"). Grouped
    by the email's own template_id in the email mart. -#}
{#- A view: read once (sequence_email_performance), so DuckDB inlines it into
    that mart and the warehouse writes no 6 M-row copy of the emails. One row
    per email is checked by
    tests/intermediate/sequences/assert_sequence_credited_views_keep_their_grain.sql. -#}
{{ config(materialized='view') }}

with emails as (

    select * from {{ ref('int_sequence_emails_engaged') }}

),

replies as (

    select * from {{ ref('int_sequence_replies_credited') }}

),

meetings as (

    select * from {{ ref('int_sequence_meetings_credited') }}

),

final as (

    select
        emails.email_id,
        emails.enrollment_id,
        emails.step_id,
        emails.template_id,
        emails.sequence_id,
        emails.opens,
        emails.clicks,
        emails.bot_opens,
        emails.bot_clicks,
        emails.is_opened,
        emails.is_clicked,
        emails.is_bot_opened,
        emails.is_bot_clicked,
        replies.enrollment_id is not null as is_reply_credited,
        meetings.enrollment_id is not null as is_meeting_credited,
        emails.sent_at
    from emails
    left join replies
        on
            emails.enrollment_id = replies.enrollment_id
            and emails.step_id = replies.credited_step_id
    left join meetings
        on
            emails.enrollment_id = meetings.enrollment_id
            and emails.step_id = meetings.credited_step_id

)

select * from final
