with source as (

    select * from {{ ref('base_hubspot__asset_clicks') }}

),

typed as (

    select
        click_id,
        {{ parse_enum('asset_type') }} as asset_type,
        asset_id,
        visitor_id,
        contact_id,
        {{ parse_timestamp('clicked_at') }} as clicked_at
    from source

),

deduplicated as (

    {{ deduplicate(
        relation='typed',
        partition_by=['click_id'],
        order_by=[
            'asset_type',
            'asset_id',
            'visitor_id',
            'contact_id',
            'clicked_at',
        ]
    ) }}

)

select * from deduplicated
