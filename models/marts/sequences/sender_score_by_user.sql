{#- One row per user with a started enrollment: the sender score of
    sequences.md over the user's completed enrollments in all sequences.
    Points, score and band only from var('sender_score_min_completed')
    completed enrollments (at least that many); below it they are null and
    is_score_available is false. -#}
with score_counts as (

    select * from {{ ref('int_sequence_sender_score_counts') }}

),

dim_users as (

    select * from {{ ref('dim_users') }}

),

users_aggregated as (

    select
        user_id,
        max(user_full_name) as user_full_name,
        sum(started_enrollments) as started_enrollments,
        sum(completed_enrollments) as completed_enrollments,
        sum(replied) as replied,
        sum(bounced) as bounced
    from score_counts
    group by user_id

),

{{ sender_score_ctes(
    relation='users_aggregated',
    key_columns=['user_id', 'user_full_name'],
    is_available='completed_enrollments >= ' ~ var('sender_score_min_completed'),
) }},

named_scores as (

    select
        sender_scored.*,
        dim_users.user_name
    from sender_scored
    left join dim_users
        on sender_scored.user_id = dim_users.user_id

),

final as (

    select
        user_id,
        user_name,
        user_full_name,
        started_enrollments,
        completed_enrollments,
        replied,
        bounced,
        not_bounced,
        reply_rate,
        bounce_rate,
        reply_points,
        bounce_points,
        sender_score,
        {{ sender_score_band('sender_score') }} as sender_score_band,
        is_score_available
    from named_scores

)

select * from final
