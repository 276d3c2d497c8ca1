with source as (

    select * from {{ ref('base_hubspot__campaign_spend') }}

),

typed as (

    select
        campaign_id,
        {{ parse_date('spend_date') }} as spend_date,
        channel,
        {{ parse_decimal('amount') }} as amount
    from source

),

deduplicated as (

    {{ deduplicate(
        relation='typed',
        partition_by=['campaign_id', 'spend_date', 'channel'],
        order_by=[
            'amount',
        ]
    ) }}

)

select * from deduplicated
