{#- Reconciliation across the other marts: sends of the email mart = emails
    sent in the fact; engaged contacts = started enrollments, ranks 1..n;
    sender-score users' completed and started enrollments = the fact's.
    Returns one row per check that fails.

    The fact's rows are read from int_sequence_enrollments_summarized: the
    view fct_sequence_enrollments passes them through unchanged (its
    passes_rows_through test), and reading the table skips the view's
    dimension joins. -#}
with fact as (

    select
        count(*) filter (where is_started) as started_enrollments,
        count(*) filter (where is_started and is_completed) as completed_enrollments,
        coalesce(sum(emails_sent), 0) as emails_sent
    from {{ ref('int_sequence_enrollments_summarized') }}

),

emails as (

    select coalesce(sum(sends), 0) as sends
    from {{ ref('sequence_email_performance') }}

),

engaged as (

    select
        count(*) as enrollments,
        coalesce(max(engagement_rank), 0) as max_rank
    from {{ ref('sequence_engaged_contacts') }}

),

sender_users as (

    select
        coalesce(sum(started_enrollments), 0) as started_enrollments,
        coalesce(sum(completed_enrollments), 0) as completed_enrollments
    from {{ ref('sender_score_by_user') }}

),

sender_user_sequences as (

    select
        coalesce(sum(started_enrollments), 0) as started_enrollments,
        coalesce(sum(completed_enrollments), 0) as completed_enrollments
    from {{ ref('sender_score_by_user_sequence') }}

),

checks as (

    select
        'email sends = emails sent' as check_name,
        emails.sends = fact.emails_sent as is_ok
    from fact cross join emails
    union all
    select
        'engaged contacts = started enrollments, ranked 1..n' as check_name,
        engaged.enrollments = fact.started_enrollments
        and engaged.max_rank = fact.started_enrollments as is_ok
    from fact cross join engaged
    union all
    select
        'sender score by user = started / completed enrollments' as check_name,
        sender_users.started_enrollments = fact.started_enrollments
        and sender_users.completed_enrollments = fact.completed_enrollments as is_ok
    from fact cross join sender_users
    union all
    select
        'sender score by user x sequence = started / completed enrollments' as check_name,
        sender_user_sequences.started_enrollments = fact.started_enrollments
        and sender_user_sequences.completed_enrollments = fact.completed_enrollments as is_ok
    from fact cross join sender_user_sequences

),

final as (

    select * from checks
    where not is_ok

)

select * from final
