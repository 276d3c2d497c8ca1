{#- One row per CRM user that reaches the marts: name, email, team and whether
    the user is active. -#}
with users as (

    select * from {{ staged_rows('users') }} as users

),

final as (

    select
        user_id,
        full_name as user_name,
        email as user_email,
        team_name,
        is_active
    from users

)

select * from final
