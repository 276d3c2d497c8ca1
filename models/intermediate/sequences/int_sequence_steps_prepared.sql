{#- One row per usable sequence step (deleted steps included), with the order
    of the next step that is not deleted, used for next_step_order. -#}
with steps as (

    select * from {{ staged_rows('sequence_steps') }} as steps

),

sequences as (

    select * from {{ ref('int_sequences_prepared') }}

),

final as (

    select
        steps.step_id,
        steps.sequence_id,
        steps.template_id,
        steps.step_order,
        steps.action_type,
        steps.delay_days,
        steps.action_type in ('AUTOMATED_EMAIL', 'MANUAL_EMAIL_TASK') as is_email_step,
        steps.is_deleted,
        coalesce(sequences.is_deleted, false) as is_sequence_deleted,
        steps.created_at
    from steps
    left join sequences
        on steps.sequence_id = sequences.sequence_id

)

select * from final
