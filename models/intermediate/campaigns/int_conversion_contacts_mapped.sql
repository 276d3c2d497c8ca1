{#- The contacts whose touchpoints make up a conversion's pool: the contact
    itself for CONTACT_CREATE, every contact associated with the deal for
    DEAL_CREATE and REVENUE. One row per conversion × contact. -#}
with conversions as (

    select * from {{ ref('int_conversions_unioned') }}

),

deal_contacts as (

    select * from {{ staged_rows('deal_contacts') }} as deal_contacts

),

contact_conversions as (

    select
        conversion_kind,
        conversion_id,
        conversion_id as contact_id
    from conversions
    where conversion_kind = 'CONTACT_CREATE'

),

deal_conversions as (

    select
        conversions.conversion_kind,
        conversions.conversion_id,
        deal_contacts.contact_id
    from conversions
    inner join deal_contacts
        on conversions.conversion_id = deal_contacts.deal_id
    where conversions.conversion_kind in ('DEAL_CREATE', 'REVENUE')

),

final as (

    select * from contact_conversions
    union all
    select * from deal_conversions

)

select * from final
