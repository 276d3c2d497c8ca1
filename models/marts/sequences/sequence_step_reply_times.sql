{#- Beyond HubSpot: one row per sequence step, over the first replies credited
    to the step (the step-performance `replied` rule): the time from the
    enrollment's first email to its first reply (hours_to_first_reply, when
    the reply came after an email), and the time from the step's own
    execution to the reply (when not negative): how many, median and 90th
    percentile (continuous, interpolated), in hours. -#}
with steps as (

    select * from {{ ref('int_sequence_steps_prepared') }}

),

dim_sequences as (

    select * from {{ ref('dim_sequences') }}

),

enrollments as (

    select * from {{ ref('int_sequence_enrollments_summarized') }}
    where
        is_started
        and hours_to_first_reply is not null
        and reply_step_id is not null

),

credited_executions as (

    select
        step_id,
        {{ sequence_hours_between('executed_at', 'first_reply_at') }} as hours_from_step
    from {{ ref('int_sequence_steps_credited') }}
    where
        is_reply_credited
        and first_reply_at >= executed_at

),

reply_times as (

    select
        reply_step_id as step_id,
        count(*) as timed_replies,
        {{ sequence_percentile('hours_to_first_reply', 0.5) }} as median_hours_to_first_reply,
        {{ sequence_percentile('hours_to_first_reply', 0.9) }} as p90_hours_to_first_reply,
        {{ exact_sum('hours_to_first_reply') }} / nullif(count(hours_to_first_reply), 0)
            as mean_hours_to_first_reply
    from enrollments
    group by reply_step_id

),

step_reply_times as (

    select
        step_id,
        count(*) as timed_step_replies,
        {{ sequence_percentile('hours_from_step', 0.5) }} as median_hours_from_step,
        {{ sequence_percentile('hours_from_step', 0.9) }} as p90_hours_from_step
    from credited_executions
    group by step_id

),

final as (

    select
        steps.step_id,
        steps.sequence_id,
        dim_sequences.sequence_name,
        steps.step_order,
        steps.action_type,
        coalesce(reply_times.timed_replies, 0) as timed_replies,
        cast(reply_times.median_hours_to_first_reply as {{ type_double() }})
            as median_hours_to_first_reply,
        cast(reply_times.p90_hours_to_first_reply as {{ type_double() }})
            as p90_hours_to_first_reply,
        cast(reply_times.mean_hours_to_first_reply as {{ type_double() }})
            as mean_hours_to_first_reply,
        coalesce(step_reply_times.timed_step_replies, 0) as timed_step_replies,
        cast(step_reply_times.median_hours_from_step as {{ type_double() }})
            as median_hours_from_step,
        cast(step_reply_times.p90_hours_from_step as {{ type_double() }})
            as p90_hours_from_step,
        steps.is_deleted
    from steps
    left join reply_times
        on steps.step_id = reply_times.step_id
    left join step_reply_times
        on steps.step_id = step_reply_times.step_id
    left join dim_sequences
        on steps.sequence_id = dim_sequences.sequence_id

)

select * from final
