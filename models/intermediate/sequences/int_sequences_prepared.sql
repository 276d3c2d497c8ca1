{#- One row per usable sequence, with the attributes every sequence mart
    shows. Deleted sequences stay (is_deleted), as the spec requires. -#}
with sequences as (

    select * from {{ staged_rows('sequences') }} as sequences

),

users as (

    select * from {{ staged_rows('users') }} as users

),

final as (

    select
        sequences.sequence_id,
        sequences.owner_user_id,
        sequences.name as sequence_name,
        sequences.folder_name,
        users.full_name as owner_full_name,
        sequences.is_deleted,
        sequences.created_at
    from sequences
    left join users
        on sequences.owner_user_id = users.user_id

)

select * from final
