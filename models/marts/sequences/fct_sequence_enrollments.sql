{#- One row per usable enrollment (started or not): the per-enrollment facts
    of sequences.md, with the attributes a BI tool filters on (company,
    enrolling user, enrollment date, sequence, folder, state). Filtering it
    and counting gives the same figures as the aggregated marts. -#}
{#- A view: the rows are the intermediate table's, so the warehouse holds the
    fact once and this mart adds no copy of it. -#}
{{ config(materialized='view') }}

with enrollments as (

    select * from {{ ref('int_sequence_enrollments_summarized') }}

),

dim_contacts as (

    select * from {{ ref('dim_contacts') }}

),

dim_companies as (

    select * from {{ ref('dim_companies') }}

),

dim_users as (

    select * from {{ ref('dim_users') }}

),

dim_deals as (

    select * from {{ ref('dim_deals') }}

),

-- the display names of the enrollment's contact, company, enrolling user and
-- attributed deal (left joins on the key: every enrollment stays)
named_enrollments as (

    select
        enrollments.*,
        dim_contacts.contact_name,
        dim_contacts.contact_email,
        dim_companies.company_name,
        dim_users.user_name as enrolled_by_user_name,
        dim_deals.deal_name as attributed_deal_name
    from enrollments
    left join dim_contacts
        on enrollments.contact_id = dim_contacts.contact_id
    left join dim_companies
        on enrollments.company_id = dim_companies.company_id
    left join dim_users
        on enrollments.enrolled_by_user_id = dim_users.user_id
    left join dim_deals
        on enrollments.attributed_deal_id = dim_deals.deal_id

),

final as (

    select
        enrollment_id,
        sequence_id,
        contact_id,
        contact_name,
        contact_email,
        company_id,
        company_name,
        enrolled_by_user_id,
        enrolled_by_user_name,
        last_executed_step_id,
        reply_step_id,
        meeting_step_id,
        attributed_deal_id,
        attributed_deal_name,
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
        hours_to_first_reply,
        is_started,
        is_sequence_deleted,
        is_opened,
        is_clicked,
        is_replied,
        is_meeting_booked,
        is_bounced,
        is_unsubscribed,
        is_no_reply,
        is_completed,
        is_currently_enrolled,
        is_deal_created,
        enrollment_date,
        enrollment_month,
        enrolled_at,
        ended_at,
        first_email_sent_at,
        first_reply_at,
        first_meeting_at
    from named_enrollments

)

select * from final
