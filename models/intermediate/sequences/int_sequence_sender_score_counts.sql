{#- One row per enrolling user × sequence with a started enrollment: the
    counts behind the sender score (sequences.md, "Sender score").
    completed = is_completed; bounced = completed and is_bounced; replied =
    completed, is_replied and not is_bounced (the reply-rate numerator). The
    per-user mart sums these rows. -#}
with enrollments as (

    select * from {{ ref('int_sequence_enrollments_summarized') }}
    where is_started

),

users as (

    select * from {{ staged_rows('users') }} as users

),

counted as (

    select
        enrolled_by_user_id as user_id,
        sequence_id,
        count(*) as started_enrollments,
        count(*) filter (where is_completed) as completed_enrollments,
        count(*) filter (where is_completed and is_bounced) as bounced,
        count(*) filter (where is_completed and is_replied and not is_bounced) as replied
    from enrollments
    group by enrolled_by_user_id, sequence_id

),

final as (

    select
        counted.user_id,
        counted.sequence_id,
        users.full_name as user_full_name,
        counted.started_enrollments,
        counted.completed_enrollments,
        counted.bounced,
        counted.replied
    from counted
    left join users
        on counted.user_id = users.user_id

)

select * from final
