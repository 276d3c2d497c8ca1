{#- One row per email template that reaches the marts: its name and subject
    line. -#}
with email_templates as (

    select * from {{ staged_rows('email_templates') }} as email_templates

),

final as (

    select
        template_id,
        name as template_name,
        subject
    from email_templates

)

select * from final
