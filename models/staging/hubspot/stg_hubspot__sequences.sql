with source as (

    select * from {{ ref('base_hubspot__sequences') }}

),

typed as (

    select
        sequence_id,
        name,
        folder_name,
        owner_user_id,
        {{ parse_timestamp('created_at') }} as created_at,
        {{ parse_boolean('is_deleted') }} as is_deleted
    from source

),

deduplicated as (

    {{ deduplicate(
        relation='typed',
        partition_by=['sequence_id'],
        order_by=[
            'name',
            'folder_name',
            'owner_user_id',
            'created_at',
            'is_deleted',
        ]
    ) }}

)

select * from deduplicated
