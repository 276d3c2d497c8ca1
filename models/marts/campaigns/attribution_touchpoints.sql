{#- Every touchpoint, one row per campaign it belongs to (one row with a null
    campaign when none), for drilling from a credit to the interaction. -#}
{#- A view: the rows are the intermediate table's, so the warehouse holds the
    fact once and this mart adds no copy of it. -#}
{{ config(materialized='view') }}

with touchpoints as (

    select * from {{ ref('int_touchpoints_unioned') }}

),

final as (

    select
        touchpoint_id,
        campaign_id,
        contact_id,
        touchpoint_type,
        source_id,
        channel,
        campaign_count,
        occurred_at
    from touchpoints

)

select * from final
