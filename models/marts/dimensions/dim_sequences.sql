{#- One row per sequence that reaches the marts (deleted ones included; rows
    rejected by the raw checks, e.g. naming an unknown owner, are kept out): its
    name, folder and owner. -#}
with sequences as (

    select * from {{ staged_rows('sequences') }} as sequences

),

users as (

    select * from {{ staged_rows('users') }} as users

),

final as (

    select
        sequences.sequence_id,
        sequences.name as sequence_name,
        sequences.folder_name,
        sequences.owner_user_id,
        users.full_name as owner_user_name,
        sequences.is_deleted
    from sequences
    left join users
        on sequences.owner_user_id = users.user_id

)

select * from final
