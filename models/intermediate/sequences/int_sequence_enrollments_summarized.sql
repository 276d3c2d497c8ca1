{#- The per-enrollment facts (sequences.md, "Per-enrollment facts"): one row
    per usable enrollment, started or not. Every outcome is false (counts 0)
    for an enrollment that has not started, so a rate's denominator is always
    the started enrollments. Shared by every sequence mart. -#}
{#- Kept in the file, never in the build's scratch database: the mart view
    fct_sequence_enrollments reads it. -#}
{{ config(
    database=target.get('database'),
) }}
{%- set money_type = api.Column.numeric_type('numeric', 18, 2) %}
with enrollments as (

    select * from {{ ref('int_sequence_enrollments_windowed') }}

),

sequences as (

    select * from {{ ref('int_sequences_prepared') }}

),

steps as (

    select * from {{ ref('int_sequence_steps_prepared') }}

),

emails as (

    select * from {{ ref('int_sequence_emails_engaged') }}

),

executions as (

    select * from {{ ref('int_sequence_steps_executed') }}

),

replies as (

    select * from {{ ref('int_sequence_replies_credited') }}

),

meetings as (

    select * from {{ ref('int_sequence_meetings_credited') }}

),

deals as (

    select * from {{ ref('int_sequence_deals_attributed') }}
    where attributed_enrollment_id is not null

),

-- an email is opened (clicked) exactly when it has a non-bot open (click):
-- the enrollment's flags follow from its summed counts, two aggregates fewer
-- over 2.7 M groups
email_totals as (

    select
        enrollment_id,
        count(*) as emails_sent,
        cast(sum(opens) as {{ dbt.type_bigint() }}) as opens,
        cast(sum(clicks) as {{ dbt.type_bigint() }}) as clicks,
        cast(sum(bot_opens) as {{ dbt.type_bigint() }}) as bot_opens,
        cast(sum(bot_clicks) as {{ dbt.type_bigint() }}) as bot_clicks,
        count(*) filter (where is_bounced) > 0 as is_bounced,
        count(*) filter (where is_unsubscribed) > 0 as is_unsubscribed,
        min(sent_at) as first_email_sent_at
    from emails
    group by enrollment_id

),

last_executions as (

    select
        enrollment_id,
        step_id as last_executed_step_id,
        step_order as last_executed_step_order,
        execution_number as steps_executed
    from executions
    where is_last_executed

),

deal_totals as (

    select
        attributed_enrollment_id as enrollment_id,
        count(*) as attributed_deals,
        sum(case when is_closed_won then amount end) as attributed_revenue
    from deals
    group by attributed_enrollment_id

),

first_deals as (

    select
        attributed_enrollment_id as enrollment_id,
        deal_id,
        row_number() over (
            partition by attributed_enrollment_id
            order by created_at, deal_id
        ) as deal_number
    from deals

),

positioned as (

    select
        enrollments.*,
        case
            when enrollments.is_snapshot_current then enrollments.reported_current_step_order
            else last_executions.last_executed_step_order
        end as current_step_order,
        last_executions.last_executed_step_id,
        last_executions.steps_executed
    from enrollments
    left join last_executions
        on enrollments.enrollment_id = last_executions.enrollment_id

),

next_steps as (

    select
        positioned.enrollment_id,
        min(steps.step_order) as next_step_order
    from positioned
    inner join steps
        on
            positioned.sequence_id = steps.sequence_id
            and not steps.is_deleted
            and (
                positioned.current_step_order is null
                or positioned.current_step_order < steps.step_order
            )
    where positioned.enrollment_state not in ('FINISHED', 'UNENROLLED')
    group by positioned.enrollment_id

),

joined as (

    select
        positioned.enrollment_id,
        positioned.sequence_id,
        positioned.contact_id,
        positioned.company_id,
        positioned.enrolled_by_user_id,
        positioned.last_executed_step_id,
        replies.credited_step_id as reply_step_id,
        meetings.credited_step_id as meeting_step_id,
        first_deals.deal_id as attributed_deal_id,
        sequences.sequence_name,
        sequences.folder_name,
        positioned.enrollment_state,
        positioned.reported_enrollment_state,
        positioned.unenroll_source,
        positioned.error_type,
        replies.reply_evidence,
        meetings.meeting_evidence,
        positioned.current_step_order,
        next_steps.next_step_order,
        coalesce(positioned.steps_executed, 0) as steps_executed,
        coalesce(email_totals.emails_sent, 0) as emails_sent,
        coalesce(email_totals.opens, 0) as opens,
        coalesce(email_totals.clicks, 0) as clicks,
        coalesce(email_totals.bot_opens, 0) as bot_opens,
        coalesce(email_totals.bot_clicks, 0) as bot_clicks,
        coalesce(deal_totals.attributed_deals, 0) as attributed_deals,
        cast(coalesce(deal_totals.attributed_revenue, 0) as {{ money_type }})
            as attributed_revenue,
        positioned.is_started,
        coalesce(sequences.is_deleted, false) as is_sequence_deleted,
        coalesce(email_totals.opens > 0, false) as is_opened,
        coalesce(email_totals.clicks > 0, false) as is_clicked,
        replies.enrollment_id is not null as is_replied,
        meetings.enrollment_id is not null as is_meeting_booked,
        coalesce(email_totals.is_bounced, false)
        or (positioned.is_started and coalesce(positioned.error_type, '') = 'BOUNCED')
            as is_bounced,
        coalesce(email_totals.is_unsubscribed, false)
        or (positioned.is_started and coalesce(positioned.error_type, '') = 'UNSUBSCRIBED')
            as is_unsubscribed,
        positioned.enrollment_state in ('FINISHED', 'UNENROLLED') as is_completed,
        positioned.enrollment_state in ('EXECUTING', 'PAUSED') as is_currently_enrolled,
        deal_totals.enrollment_id is not null as is_deal_created,
        positioned.enrolled_at,
        positioned.ended_at,
        email_totals.first_email_sent_at,
        replies.first_reply_at,
        meetings.first_meeting_at,
        {{ reporting_timestamp('positioned.enrolled_at') }} as enrolled_at_local,
        {{ reporting_timestamp('email_totals.first_email_sent_at') }}
            as first_email_sent_at_local
    from positioned
    left join sequences
        on positioned.sequence_id = sequences.sequence_id
    left join next_steps
        on positioned.enrollment_id = next_steps.enrollment_id
    left join email_totals
        on positioned.enrollment_id = email_totals.enrollment_id
    left join replies
        on positioned.enrollment_id = replies.enrollment_id
    left join meetings
        on positioned.enrollment_id = meetings.enrollment_id
    left join deal_totals
        on positioned.enrollment_id = deal_totals.enrollment_id
    left join first_deals
        on
            positioned.enrollment_id = first_deals.enrollment_id
            and first_deals.deal_number = 1

),

final as (

    select
        enrollment_id,
        sequence_id,
        contact_id,
        company_id,
        enrolled_by_user_id,
        last_executed_step_id,
        reply_step_id,
        meeting_step_id,
        attributed_deal_id,
        sequence_name,
        folder_name,
        enrollment_state,
        reported_enrollment_state,
        unenroll_source,
        error_type,
        reply_evidence,
        meeting_evidence,
        current_step_order,
        next_step_order,
        steps_executed,
        emails_sent,
        opens,
        clicks,
        bot_opens,
        bot_clicks,
        attributed_deals,
        attributed_revenue,
        case
            when first_reply_at >= first_email_sent_at
                then {{ sequence_hours_between('first_email_sent_at', 'first_reply_at') }}
        end as hours_to_first_reply,
        case
            when first_email_sent_at_local is not null
                then {{ sequence_iso_weekday('first_email_sent_at_local') }}
        end as first_email_weekday,
        cast(extract(hour from first_email_sent_at_local) as {{ dbt.type_int() }})
            as first_email_hour,
        is_started,
        is_sequence_deleted,
        is_opened,
        is_clicked,
        is_replied,
        is_meeting_booked,
        is_bounced,
        is_unsubscribed,
        enrollment_state = 'FINISHED' and not is_replied as is_no_reply,
        is_completed,
        is_currently_enrolled,
        is_deal_created,
        cast({{ dbt.date_trunc('day', 'enrolled_at_local') }} as date) as enrollment_date,
        cast({{ dbt.date_trunc('week', 'enrolled_at_local') }} as date) as enrollment_week,
        cast({{ dbt.date_trunc('month', 'enrolled_at_local') }} as date) as enrollment_month,
        enrolled_at,
        ended_at,
        first_email_sent_at,
        first_reply_at,
        first_meeting_at
    from joined

)

select * from final
