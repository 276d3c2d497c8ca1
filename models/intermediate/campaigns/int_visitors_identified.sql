{#- Identity resolution: one row per web visitor tied to a contact at or
    before as-of. Every session, page view and click of the visitor belongs to
    the contact, also those before `identified_at`; an identification after
    as-of has not happened yet. -#}
with visitor_identities as (

    select * from {{ staged_rows('visitor_identities') }} as visitor_identities

),

as_of as (

    select * from {{ ref('int_as_of') }}

),

final as (

    select
        visitor_identities.visitor_id,
        visitor_identities.contact_id,
        visitor_identities.identified_at
    from visitor_identities
    cross join as_of
    where visitor_identities.identified_at <= as_of.as_of

)

select * from final
