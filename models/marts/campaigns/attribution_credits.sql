{#- The touchpoint-level credit table: one row per conversion × model ×
    touchpoint × campaign it belongs to (null campaign when none), its share
    already divided by k, so that a BI tool can drill from any attributed number
    to the interactions behind it. -#}
{#- A view that unpivots the wide intermediate table (one row per conversion ×
    touchpoint × campaign, a share and a credited value per model): the
    warehouse holds the fact once, nine times smaller, and this mart adds no
    copy of it. -#}
{{ config(materialized='view') }}

with credits as (

    select * from {{ ref('int_attribution_credits_dealt') }}

),

final as (

    {{ attribution_unpivot(
        'credits',
        [
            'conversion_kind', 'conversion_id', 'attribution_model', 'touchpoint_id',
            'campaign_id', 'contact_id', 'touchpoint_type', 'channel', 'campaign_count',
            'pool_size', 'conversion_value', 'share', 'credited_value', 'is_first_touch',
            'is_last_touch', 'is_lead_touch', 'is_deal_touch', 'is_won_touch',
            'occurred_at', 'converted_at',
        ],
        per_model=['share', 'credited_value'],
    ) }}

)

select * from final
