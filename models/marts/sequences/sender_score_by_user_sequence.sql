{#- One row per user × sequence with a started enrollment: the sender score
    of sequences.md over the user's completed enrollments in that sequence.
    Points, score and band only from MORE than
    var('sender_score_min_completed') completed enrollments (HubSpot's
    per-sequence breakdown); below it they are null and is_score_available is
    false. -#}
with score_counts as (

    select * from {{ ref('int_sequence_sender_score_counts') }}

),

{{ sender_score_ctes(
    relation='score_counts',
    key_columns=['user_id', 'sequence_id', 'user_full_name'],
    is_available='completed_enrollments > ' ~ var('sender_score_min_completed'),
) }},

final as (

    select
        user_id,
        sequence_id,
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
    from sender_scored

)

select * from final
