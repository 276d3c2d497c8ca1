{#- One row per sequence (deleted ones included): the performance figures of
    sequences.md over its started enrollments. Counts are of enrollments;
    each rate divides its count by total_enrollments. -#}
{%- set metrics = [
    ('opened', 'is_opened'),
    ('clicked', 'is_clicked'),
    ('replied', 'is_replied'),
    ('meeting', 'is_meeting_booked'),
    ('no_reply', 'is_no_reply'),
    ('bounced', 'is_bounced'),
    ('unsubscribed', 'is_unsubscribed'),
    ('deal', 'is_deal_created'),
] %}

with sequences as (

    select * from {{ ref('int_sequences_prepared') }}

),

enrollments as (

    select * from {{ ref('int_sequence_enrollments_summarized') }}
    where is_started

),

dim_users as (

    select * from {{ ref('dim_users') }}

),

enrollments_aggregated as (

    select
        sequence_id,
        count(*) as total_enrollments,
        count(distinct contact_id) as unique_contacts,
        count(*) filter (where is_currently_enrolled) as currently_enrolled,
        {%- for metric, flag in metrics %}
        count(*) filter (where {{ flag }}) as {{ metric }}_count,
        {%- endfor %}
        sum(attributed_revenue) as total_revenue
    from enrollments
    group by sequence_id

),

final as (

    select
        sequences.sequence_id,
        sequences.owner_user_id,
        dim_users.user_name as owner_user_name,
        sequences.sequence_name,
        sequences.folder_name,
        coalesce(enrollments_aggregated.total_enrollments, 0) as total_enrollments,
        coalesce(enrollments_aggregated.unique_contacts, 0) as unique_contacts,
        coalesce(enrollments_aggregated.currently_enrolled, 0) as currently_enrolled,
        {%- for metric, flag in metrics %}
        coalesce(enrollments_aggregated.{{ metric }}_count, 0) as {{ metric }}_count,
        {{ safe_ratio(
            'enrollments_aggregated.' ~ metric ~ '_count',
            'enrollments_aggregated.total_enrollments'
        ) }} as {{ metric }}_rate,
        {%- endfor %}
        cast(
            coalesce(enrollments_aggregated.total_revenue, 0)
            as {{ api.Column.numeric_type('numeric', 18, 2) }}
        ) as total_revenue,
        sequences.is_deleted,
        sequences.created_at
    from sequences
    left join enrollments_aggregated
        on sequences.sequence_id = enrollments_aggregated.sequence_id
    left join dim_users
        on sequences.owner_user_id = dim_users.user_id

)

select * from final
