with source as (

    select * from {{ ref('base_hubspot__campaign_assets') }}

),

typed as (

    select
        campaign_id,
        {{ parse_enum('asset_type') }} as asset_type,
        asset_id,
        asset_name,
        asset_url,
        {{ parse_timestamp('associated_at') }} as associated_at
    from source

),

deduplicated as (

    {{ deduplicate(
        relation='typed',
        partition_by=['campaign_id', 'asset_type', 'asset_id'],
        order_by=[
            'asset_name',
            'asset_url',
            'associated_at',
        ]
    ) }}

)

select * from deduplicated
