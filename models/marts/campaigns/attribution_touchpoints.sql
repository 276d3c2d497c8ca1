{#- Every touchpoint, one row per campaign it belongs to (one row with a null
    campaign when none), for drilling from a credit to the interaction. -#}
{#- A view: the rows are the intermediate table's, so the warehouse holds the
    fact once and this mart adds no copy of it. The intermediate table does not
    store the source row's id apart from touchpoint_id; it is cut out here. Its
    key and not-null tests are the intermediate table's (the same rows). -#}
{{ config(materialized='view') }}

with touchpoints as (

    select
        *,
        -- the id of the source row: touchpoint_id is `<type>:<id>`
        substr(touchpoint_id, length(touchpoint_type) + 2) as source_id
    from {{ ref('int_touchpoints_unioned') }}

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
