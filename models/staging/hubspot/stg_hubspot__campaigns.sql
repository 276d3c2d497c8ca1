with source as (

    select * from {{ ref('base_hubspot__campaigns') }}

),

typed as (

    select
        campaign_id,
        name,
        utm_campaign,
        owner_user_id,
        {{ parse_date('start_date') }} as start_date,
        {{ parse_date('end_date') }} as end_date,
        {{ parse_decimal('budget_amount') }} as budget_amount,
        {{ parse_integer('goal_sessions') }} as goal_sessions,
        {{ parse_integer('goal_new_contacts') }} as goal_new_contacts,
        {{ parse_integer('goal_influenced_contacts') }} as goal_influenced_contacts,
        {{ parse_timestamp('created_at') }} as created_at
    from source

),

deduplicated as (

    {{ deduplicate(
        relation='typed',
        partition_by=['campaign_id'],
        order_by=[
            'name',
            'utm_campaign',
            'owner_user_id',
            'start_date',
            'end_date',
            'budget_amount',
            'goal_sessions',
            'goal_new_contacts',
            'goal_influenced_contacts',
            'created_at',
        ]
    ) }}

)

select * from deduplicated
