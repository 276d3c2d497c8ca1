{#- One row per started enrollment: the "highly engaged contacts" list of the
    Analyze tab, ranked by clicks, then opens, then emails sent (most first),
    then enrollment_id ascending as text; rank 1 is the most engaged, and the
    rank runs over all started enrollments together.

    The rank without a sort of every started enrollment on all four keys:
    enrollments with the same clicks, opens and emails sent form a group (167
    groups at scale 10); a group's members come after every member of the
    groups ranked above it (a running count over the groups), and among
    themselves by enrollment_id (a window partitioned by the group). -#}
with started as (

    select * from {{ ref('int_sequence_enrollments_summarized') }}
    where is_started

),

dim_contacts as (

    select * from {{ ref('dim_contacts') }}

),

dim_companies as (

    select * from {{ ref('dim_companies') }}

),

engagement_groups as (

    select
        clicks,
        opens,
        emails_sent,
        count(*) as group_enrollments
    from started
    group by clicks, opens, emails_sent

),

group_offsets as (

    select
        clicks,
        opens,
        emails_sent,
        sum(group_enrollments) over (
            order by clicks desc, opens desc, emails_sent desc
            rows between unbounded preceding and current row
        ) - group_enrollments as ranked_above
    from engagement_groups

),

enrollments as (

    select
        started.*,
        group_offsets.ranked_above + row_number() over (
            partition by started.clicks, started.opens, started.emails_sent
            order by cast(started.enrollment_id as {{ dbt.type_string() }}) asc
        ) as engagement_rank
    from started
    inner join group_offsets
        on
            started.clicks = group_offsets.clicks
            and started.opens = group_offsets.opens
            and started.emails_sent = group_offsets.emails_sent

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
        cast(engagement_rank as {{ dbt.type_bigint() }}) as engagement_rank
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
