{#- One row per sequence email sent (sent_at <= as_of) by a usable enrollment,
    with the counts of its events. Events after as_of did not happen; events
    before sent_at (clock skew) count. Bot events (is_bot = true) are counted
    apart and in no engagement figure; is_bot null counts as human.
    Only the events some count reads are aggregated: most events are DELIVERED
    (or SPAM_REPORT) by a human, which nothing counts. The sender and the
    recipient are not carried (no consumer reads them; they stay in staging). -#}
with emails as (

    select * from {{ staged_rows('sequence_emails') }} as emails

),

email_events as (

    select * from {{ staged_rows('email_events') }} as email_events

),

enrollments as (

    select * from {{ ref('int_sequence_enrollments_windowed') }}

),

as_of as (

    select * from {{ ref('int_as_of') }}

),

classified_events as (

    select
        email_events.email_id,
        email_events.event_type,
        coalesce(email_events.is_bot, false) as is_bot
    from email_events
    cross join as_of
    where
        email_events.occurred_at <= as_of.as_of
        and (
            email_events.event_type in ('OPEN', 'CLICK', 'BOUNCE', 'UNSUBSCRIBE')
            or email_events.is_bot
        )

),

events_counted as (

    select
        email_id,
        count(*) filter (where event_type = 'OPEN' and not is_bot) as opens,
        count(*) filter (where event_type = 'CLICK' and not is_bot) as clicks,
        count(*) filter (where event_type = 'BOUNCE' and not is_bot) as bounces,
        count(*) filter (where event_type = 'UNSUBSCRIBE' and not is_bot) as unsubscribes,
        count(*) filter (where event_type = 'OPEN' and is_bot) as bot_opens,
        count(*) filter (where event_type = 'CLICK' and is_bot) as bot_clicks,
        count(*) filter (where is_bot) as bot_events
    from classified_events
    group by email_id

),

sent_emails as (

    select
        emails.email_id,
        emails.enrollment_id,
        emails.step_id,
        emails.template_id,
        enrollments.sequence_id,
        emails.sent_at
    from emails
    inner join enrollments
        on emails.enrollment_id = enrollments.enrollment_id
    where
        enrollments.is_started
        and emails.sent_at <= enrollments.as_of

),

final as (

    select
        sent_emails.email_id,
        sent_emails.enrollment_id,
        sent_emails.step_id,
        sent_emails.template_id,
        sent_emails.sequence_id,
        coalesce(events_counted.opens, 0) as opens,
        coalesce(events_counted.clicks, 0) as clicks,
        coalesce(events_counted.bot_opens, 0) as bot_opens,
        coalesce(events_counted.bot_clicks, 0) as bot_clicks,
        coalesce(events_counted.bot_events, 0) as bot_events,
        coalesce(events_counted.opens, 0) > 0 as is_opened,
        coalesce(events_counted.clicks, 0) > 0 as is_clicked,
        coalesce(events_counted.bounces, 0) > 0 as is_bounced,
        coalesce(events_counted.unsubscribes, 0) > 0 as is_unsubscribed,
        coalesce(events_counted.bot_opens, 0) > 0 as is_bot_opened,
        coalesce(events_counted.bot_clicks, 0) > 0 as is_bot_clicked,
        sent_emails.sent_at
    from sent_emails
    left join events_counted
        on sent_emails.email_id = events_counted.email_id

)

select * from final
