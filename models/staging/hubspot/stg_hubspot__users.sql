with source as (

    select * from {{ ref('base_hubspot__users') }}

),

typed as (

    select
        user_id,
        email,
        full_name,
        team_name,
        {{ parse_boolean('is_active') }} as is_active
    from source

),

deduplicated as (

    {{ deduplicate(
        relation='typed',
        partition_by=['user_id'],
        order_by=[
            'email',
            'full_name',
            'team_name',
            'is_active',
        ]
    ) }}

)

select * from deduplicated
