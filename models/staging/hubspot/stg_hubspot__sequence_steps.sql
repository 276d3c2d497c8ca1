with source as (

    select * from {{ ref('base_hubspot__sequence_steps') }}

),

typed as (

    select
        step_id,
        sequence_id,
        {{ parse_integer('step_order') }} as step_order,
        {{ parse_enum('action_type') }} as action_type,
        template_id,
        {{ parse_decimal('delay_days', 4) }} as delay_days,
        {{ parse_boolean('is_deleted') }} as is_deleted,
        {{ parse_timestamp('created_at') }} as created_at
    from source

),

deduplicated as (

    {{ deduplicate(
        relation='typed',
        partition_by=['step_id'],
        order_by=[
            'sequence_id',
            'step_order',
            'action_type',
            'template_id',
            'delay_days',
            'is_deleted',
            'created_at',
        ]
    ) }}

)

select * from deduplicated
