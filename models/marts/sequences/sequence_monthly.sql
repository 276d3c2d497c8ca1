{#- One row per month of enrolled_at in var('reporting_timezone'), over
    started enrollments: enrollments, and the count and rate (over
    enrollments) of opened, clicked, replied, meeting and unsubscribed
    (sequences.md, "Monthly report"). -#}
{%- set metrics = [
    ('opened', 'is_opened'),
    ('clicked', 'is_clicked'),
    ('replied', 'is_replied'),
    ('meeting', 'is_meeting_booked'),
    ('unsubscribed', 'is_unsubscribed'),
] %}

with enrollments as (

    select * from {{ ref('int_sequence_enrollments_summarized') }}
    where is_started

),

enrollments_aggregated as (

    select
        enrollment_month,
        count(*) as enrollments,
        {%- for metric, flag in metrics %}
        count(*) filter (where {{ flag }}) as {{ metric }}_count,
        {%- endfor %}
        count(distinct contact_id) as unique_contacts
    from enrollments
    group by enrollment_month

),

final as (

    select
        enrollment_month,
        enrollments,
        {%- for metric, flag in metrics %}
        {{ metric }}_count,
        {%- endfor %}
        {%- for metric, flag in metrics %}
        {{ safe_ratio(metric ~ '_count', 'enrollments') }} as {{ metric }}_rate,
        {%- endfor %}
        unique_contacts
    from enrollments_aggregated

)

select * from final
