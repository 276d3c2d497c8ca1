{#- One row per usable deal created at or before as_of, with the enrollment it
    is credited to, if any (sequences.md, "Deal attribution"): among the
    started enrollments of the deal's associated contacts with
    enrolled_at <= deals.created_at (equal counts), the one with the latest
    enrolled_at, ties to the greatest enrollment_id compared as text. With
    var('deal_attribution_window_days') set, the credit is dropped when the
    deal was created more than that many days (24 h each) after enrolled_at.
    A deal is won as of as_of when is_closed_won and closed_at (if any) is not
    after as_of. -#}
{%- set window_days = var('deal_attribution_window_days') -%}
{%- if window_days is string and window_days | trim | lower in ['', 'null', 'none'] -%}
    {%- set window_days = none -%}
{%- endif %}

with deals as (

    select * from {{ staged_rows('deals') }} as deals

),

deal_contacts as (

    select * from {{ staged_rows('deal_contacts') }} as deal_contacts

),

enrollments as (

    select * from {{ ref('int_sequence_enrollments_windowed') }}
    where is_started

),

as_of as (

    select * from {{ ref('int_as_of') }}

),

existing_deals as (

    select
        deals.deal_id,
        deals.amount,
        deals.is_closed_won
        and (deals.closed_at is null or deals.closed_at <= as_of.as_of) as is_closed_won,
        deals.created_at,
        deals.closed_at
    from deals
    cross join as_of
    where deals.created_at <= as_of.as_of

),

candidate_enrollments as (

    select
        existing_deals.deal_id,
        enrollments.enrollment_id,
        enrollments.enrolled_at,
        row_number() over (
            partition by existing_deals.deal_id
            order by
                enrollments.enrolled_at desc,
                cast(enrollments.enrollment_id as {{ dbt.type_string() }}) desc
        ) as candidate_rank
    from existing_deals
    inner join deal_contacts
        on existing_deals.deal_id = deal_contacts.deal_id
    inner join enrollments
        on
            deal_contacts.contact_id = enrollments.contact_id
            and existing_deals.created_at >= enrollments.enrolled_at

),

latest_enrollments as (

    select * from candidate_enrollments
    where candidate_rank = 1

),

final as (

    select
        existing_deals.deal_id,
        {%- if window_days is none %}
        latest_enrollments.enrollment_id as attributed_enrollment_id,
        {%- else %}
        case
            when existing_deals.created_at <= {{ dbt.dateadd(
                'day',
                window_days,
                'latest_enrollments.enrolled_at'
            ) }}
                then latest_enrollments.enrollment_id
        end as attributed_enrollment_id,
        {%- endif %}
        latest_enrollments.enrollment_id as latest_prior_enrollment_id,
        existing_deals.amount,
        existing_deals.is_closed_won,
        existing_deals.created_at,
        existing_deals.closed_at
    from existing_deals
    left join latest_enrollments
        on existing_deals.deal_id = latest_enrollments.deal_id

)

select * from final
