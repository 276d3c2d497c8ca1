{#- Beyond HubSpot: one row per sequence × weekday × hour at which an
    enrollment's first email was sent, in var('reporting_timezone'): the
    started enrollments that sent an email, how many replied, and the reply
    rate. Sum the counts over sequences for the all-sequence heat map. -#}
with enrollments as (

    select * from {{ ref('int_sequence_enrollments_summarized') }}
    where
        is_started
        and first_email_sent_at is not null

),

dim_sequences as (

    select * from {{ ref('dim_sequences') }}

),

send_time_counts as (

    select
        sequence_id,
        first_email_weekday,
        first_email_hour,
        case first_email_weekday
            {%- for day_name in ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday',
                'Saturday', 'Sunday'] %}
            when {{ loop.index }} then '{{ day_name }}'
            {%- endfor %}
        end as first_email_weekday_name,
        count(*) as enrollments,
        count(*) filter (where is_replied) as replied_count,
        {{ safe_ratio('count(*) filter (where is_replied)', 'count(*)') }} as replied_rate
    from enrollments
    group by sequence_id, first_email_weekday, first_email_hour

),

final as (

    select
        send_time_counts.sequence_id,
        dim_sequences.sequence_name,
        send_time_counts.first_email_weekday,
        send_time_counts.first_email_hour,
        send_time_counts.first_email_weekday_name,
        send_time_counts.enrollments,
        send_time_counts.replied_count,
        send_time_counts.replied_rate
    from send_time_counts
    left join dim_sequences
        on send_time_counts.sequence_id = dim_sequences.sequence_id

)

select * from final
