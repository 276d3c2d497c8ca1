{#- One row per started enrollment: the "highly engaged contacts" list of the
    Analyze tab, ranked by clicks, then opens, then emails sent (most first),
    then enrollment_id ascending as text; rank 1 is the most engaged, and the
    rank runs over all started enrollments together. -#}
with enrollments as (

    select * from {{ ref('int_sequence_enrollments_summarized') }}
    where is_started

),

dim_contacts as (

    select * from {{ ref('dim_contacts') }}

),

dim_companies as (

    select * from {{ ref('dim_companies') }}

),

ranked as (

    select
        enrollment_id,
        contact_id,
        company_id,
        sequence_id,
        sequence_name,
        is_sequence_deleted,
        enrollment_state,
        current_step_order as last_step_order,
        next_step_order,
        emails_sent,
        opens,
        clicks,
        cast(row_number() over (
            order by
                clicks desc,
                opens desc,
                emails_sent desc,
                cast(enrollment_id as {{ dbt.type_string() }}) asc
        ) as {{ dbt.type_bigint() }}) as engagement_rank
    from enrollments

),

final as (

    select
        ranked.enrollment_id,
        ranked.contact_id,
        dim_contacts.contact_name,
        dim_contacts.contact_email,
        ranked.company_id,
        dim_companies.company_name,
        ranked.sequence_id,
        ranked.sequence_name,
        ranked.is_sequence_deleted,
        ranked.enrollment_state,
        ranked.last_step_order,
        ranked.next_step_order,
        ranked.emails_sent,
        ranked.opens,
        ranked.clicks,
        ranked.engagement_rank
    from ranked
    left join dim_contacts
        on ranked.contact_id = dim_contacts.contact_id
    left join dim_companies
        on ranked.company_id = dim_companies.company_id

)

select * from final
