{#- One row per contact that reaches the marts (rows rejected by the raw checks,
    e.g. naming an unknown company, are kept out): its display name, email,
    company and lifecycle stage.

    contact_name: first and last name joined by a space, each part trimmed and
    skipped when missing or blank; the email when both parts are. -#}
with contacts as (

    select * from {{ staged_rows('contacts') }} as contacts

),

companies as (

    select * from {{ staged_rows('companies') }} as companies

),

named as (

    select
        contact_id,
        email,
        company_id,
        lifecycle_stage,
        created_at,
        nullif(trim(first_name), '') as first_part,
        nullif(trim(last_name), '') as last_part
    from contacts

),

final as (

    select
        named.contact_id,
        case
            when named.first_part is not null and named.last_part is not null
                then {{ dbt.concat(['named.first_part', "' '", 'named.last_part']) }}
            else coalesce(named.first_part, named.last_part, named.email)
        end as contact_name,
        named.email as contact_email,
        named.company_id,
        companies.name as company_name,
        named.lifecycle_stage,
        named.created_at
    from named
    left join companies
        on named.company_id = companies.company_id

)

select * from final
