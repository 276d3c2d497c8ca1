{#- One row per deal that reaches the marts (rows rejected by the raw checks,
    e.g. naming an unknown owner, are kept out): its name, owner, pipeline,
    stage, amount and whether it closed won. -#}
with deals as (

    select * from {{ staged_rows('deals') }} as deals

),

users as (

    select * from {{ staged_rows('users') }} as users

),

final as (

    select
        deals.deal_id,
        deals.deal_name,
        deals.owner_user_id,
        users.full_name as owner_user_name,
        deals.pipeline,
        deals.deal_stage,
        deals.amount,
        deals.is_closed_won,
        deals.created_at,
        deals.closed_at
    from deals
    left join users
        on deals.owner_user_id = users.user_id

)

select * from final
