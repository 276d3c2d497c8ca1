with source as (

    select * from {{ ref('base_hubspot__deals') }}

),

typed as (

    select
        deal_id,
        deal_name,
        owner_user_id,
        pipeline,
        deal_stage,
        {{ parse_boolean('is_closed') }} as is_closed,
        {{ parse_boolean('is_closed_won') }} as is_closed_won,
        {{ parse_decimal('amount') }} as amount,
        {{ parse_timestamp('created_at') }} as created_at,
        {{ parse_timestamp('closed_at') }} as closed_at
    from source

),

deduplicated as (

    {{ deduplicate(
        relation='typed',
        partition_by=['deal_id'],
        order_by=[
            'deal_name',
            'owner_user_id',
            'pipeline',
            'deal_stage',
            'is_closed',
            'is_closed_won',
            'amount',
            'created_at',
            'closed_at',
        ]
    ) }}

)

select * from deduplicated
