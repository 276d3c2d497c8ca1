with source as (

    select * from {{ ref('base_hubspot__tasks') }}

),

typed as (

    select
        task_id,
        enrollment_id,
        step_id,
        {{ parse_enum('task_type') }} as task_type,
        owner_user_id,
        {{ parse_timestamp('created_at') }} as created_at,
        {{ parse_timestamp('due_at') }} as due_at,
        {{ parse_timestamp('completed_at') }} as completed_at,
        {{ parse_enum('status') }} as status
    from source

),

deduplicated as (

    {{ deduplicate(
        relation='typed',
        partition_by=['task_id'],
        order_by=[
            'enrollment_id',
            'step_id',
            'task_type',
            'owner_user_id',
            'created_at',
            'due_at',
            'completed_at',
            'status',
        ]
    ) }}

)

select * from deduplicated
