with source as (

    select * from {{ ref('base_hubspot__sequence_enrollments') }}

),

typed as (

    select
        enrollment_id,
        sequence_id,
        contact_id,
        enrolled_by_user_id,
        company_id,
        {{ parse_timestamp('enrolled_at') }} as enrolled_at,
        {{ parse_enum('enrollment_state') }} as enrollment_state,
        {{ parse_integer('current_step_order') }} as current_step_order,
        {{ parse_timestamp('ended_at') }} as ended_at,
        {{ parse_enum('unenroll_source') }} as unenroll_source,
        {{ parse_enum('error_type') }} as error_type,
        {{ parse_timestamp('updated_at') }} as updated_at
    from source

),

deduplicated as (

    {{ deduplicate(
        relation='typed',
        partition_by=['enrollment_id'],
        order_by=[
            'updated_at desc',
            'sequence_id',
            'contact_id',
            'enrolled_by_user_id',
            'company_id',
            'enrolled_at',
            'enrollment_state',
            'current_step_order',
            'ended_at',
            'unenroll_source',
            'error_type',
        ]
    ) }}

)

select * from deduplicated
