{#- One row per user × sequence with a started enrollment: the sender score
    of sequences.md over the user's completed enrollments in that sequence.
    Points, score and band only from MORE than
    var('sender_score_min_completed') completed enrollments (HubSpot's
    per-sequence breakdown); below it they are null and is_score_available is
    false. -#}
with score_counts as (

    select * from {{ ref('int_sequence_sender_score_counts') }}

),

dim_users as (

    select * from {{ ref('dim_users') }}

),

dim_sequences as (

    select * from {{ ref('dim_sequences') }}

),

{{ sender_score_ctes(
    relation='score_counts',
    key_columns=['user_id', 'sequence_id', 'user_full_name'],
    is_available='completed_enrollments > ' ~ var('sender_score_min_completed'),
) }},

final as (

    select
        sender_scored.user_id,
        dim_users.user_name,
        sender_scored.sequence_id,
        dim_sequences.sequence_name,
        -- A deleted sequence's score stays, flagged (sequences.md); a sequence
        -- the dimension lacks (rejected) is not deleted, as in
        -- int_sequences_prepared. One join gives the name and the flag.
        coalesce(dim_sequences.is_deleted, false) as is_sequence_deleted,
        sender_scored.user_full_name,
        sender_scored.started_enrollments,
        sender_scored.completed_enrollments,
        sender_scored.replied,
        sender_scored.bounced,
        sender_scored.not_bounced,
        sender_scored.reply_rate,
        sender_scored.bounce_rate,
        sender_scored.reply_points,
        sender_scored.bounce_points,
        sender_scored.sender_score,
        {{ sender_score_band('sender_scored.sender_score') }} as sender_score_band,
        sender_scored.is_score_available
    from sender_scored
    left join dim_users
        on sender_scored.user_id = dim_users.user_id
    left join dim_sequences
        on sender_scored.sequence_id = dim_sequences.sequence_id

)

select * from final
