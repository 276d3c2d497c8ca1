{#- Beyond HubSpot: one row per sequence, the time from an enrollment's first
    email to its first reply (hours_to_first_reply) over the started
    enrollments that replied after an email: how many, the median and the
    90th percentile (continuous, interpolated), in hours. -#}
with sequences as (

    select * from {{ ref('int_sequences_prepared') }}

),

enrollments as (

    select * from {{ ref('int_sequence_enrollments_summarized') }}
    where
        is_started
        and hours_to_first_reply is not null

),

reply_times as (

    select
        sequence_id,
        count(*) as timed_replies,
        {{ sequence_percentile('hours_to_first_reply', 0.5) }} as median_hours_to_first_reply,
        {{ sequence_percentile('hours_to_first_reply', 0.9) }} as p90_hours_to_first_reply,
        {{ exact_sum('hours_to_first_reply') }} / nullif(count(hours_to_first_reply), 0)
            as mean_hours_to_first_reply
    from enrollments
    group by sequence_id

),

final as (

    select
        sequences.sequence_id,
        sequences.sequence_name,
        coalesce(reply_times.timed_replies, 0) as timed_replies,
        cast(reply_times.median_hours_to_first_reply as {{ type_double() }})
            as median_hours_to_first_reply,
        cast(reply_times.p90_hours_to_first_reply as {{ type_double() }})
            as p90_hours_to_first_reply,
        cast(reply_times.mean_hours_to_first_reply as {{ type_double() }})
            as mean_hours_to_first_reply,
        sequences.is_deleted
    from sequences
    left join reply_times
        on sequences.sequence_id = reply_times.sequence_id

)

select * from final
