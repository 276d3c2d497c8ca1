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

credits as (

    select * from {{ ref('int_sequence_step_credits') }}

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
        coalesce(credits.is_reply_credited, false) as is_reply_credited,
        coalesce(credits.is_meeting_credited, false) as is_meeting_credited,
        emails.sent_at
    from emails
    left join credits
        on
            emails.enrollment_id = credits.enrollment_id
            and emails.step_id = credits.step_id

)

select * from final
