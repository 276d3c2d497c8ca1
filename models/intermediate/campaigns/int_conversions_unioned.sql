{#- One row per conversion at or before as-of, of the three kinds that
    campaigns.md attributes: CONTACT_CREATE (a contact's `created_at`, worth 1
    contact), DEAL_CREATE (a deal's `created_at`, worth 1 deal) and REVENUE (a
    closed-won deal with an amount and a `closed_at`, at `closed_at`, worth the
    amount). The cut-offs are the instants that the roles `lead`, `deal` and
    `won` look back from. -#}
with contacts as (

    select * from {{ staged_rows('contacts') }} as contacts

),

deals as (

    select * from {{ staged_rows('deals') }} as deals

),

deal_contacts as (

    select * from {{ staged_rows('deal_contacts') }} as deal_contacts

),

as_of as (

    select * from {{ ref('int_as_of') }}

),

deal_first_contacts as (

    -- the lead role of a deal looks back from its earliest-created contact's creation
    select
        deal_contacts.deal_id,
        min(contacts.created_at) as first_contact_created_at
    from deal_contacts
    inner join contacts
        on deal_contacts.contact_id = contacts.contact_id
    group by deal_contacts.deal_id

),

contact_creates as (

    select
        'CONTACT_CREATE' as conversion_kind,
        contact_id as conversion_id,
        cast(1 as decimal(18, 2)) as conversion_value,
        created_at as converted_at,
        created_at as lead_cutoff_at,
        cast(null as timestamp) as deal_cutoff_at,
        cast(null as timestamp) as won_cutoff_at
    from contacts

),

deal_creates as (

    select
        'DEAL_CREATE' as conversion_kind,
        deals.deal_id as conversion_id,
        cast(1 as decimal(18, 2)) as conversion_value,
        deals.created_at as converted_at,
        deal_first_contacts.first_contact_created_at as lead_cutoff_at,
        deals.created_at as deal_cutoff_at,
        cast(null as timestamp) as won_cutoff_at
    from deals
    left join deal_first_contacts
        on deals.deal_id = deal_first_contacts.deal_id

),

revenues as (

    select
        'REVENUE' as conversion_kind,
        deals.deal_id as conversion_id,
        cast(deals.amount as decimal(18, 2)) as conversion_value,
        deals.closed_at as converted_at,
        deal_first_contacts.first_contact_created_at as lead_cutoff_at,
        deals.created_at as deal_cutoff_at,
        deals.closed_at as won_cutoff_at
    from deals
    left join deal_first_contacts
        on deals.deal_id = deal_first_contacts.deal_id
    where
        deals.is_closed_won
        and deals.amount is not null
        and deals.created_at is not null
        and deals.closed_at is not null

),

unioned as (

    select * from contact_creates
    union all
    select * from deal_creates
    union all
    select * from revenues

),

final as (

    select
        unioned.conversion_kind,
        unioned.conversion_id,
        unioned.conversion_value,
        unioned.converted_at,
        unioned.lead_cutoff_at,
        unioned.deal_cutoff_at,
        unioned.won_cutoff_at
    from unioned
    cross join as_of
    where unioned.converted_at <= as_of.as_of

)

select * from final
