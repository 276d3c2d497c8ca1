{#- Beyond HubSpot: attribution by channel (a session's source category, or
    EMAIL_MARKETING, FORM, PAID_ADS, ORGANIC_SOCIAL, CTA, SALES) per conversion
    kind × model - where the credit goes whatever the campaign, touchpoints of
    no campaign included. The channels of a kind and model add up to the
    attributed value in attribution_summary. -#}
{#- The nine models are summed side by side in one pass over the wide credit
    table (columns <name>_<model>), then unpivoted. -#}
with credits as (

    select * from {{ ref('int_attribution_credits_dealt') }}

),

conversion_credits as (

    select
        channel,
        conversion_kind,
        conversion_id,
        {{ attribution_model_columns(exact_sum('credited_value_@'), 'credited_value_@') }},
        -- which models credit the channel in the conversion (one aggregate)
        bit_or(
            {{ attribution_positive_shares() }}
        ) as positive_shares
    from credits
    group by channel, conversion_kind, conversion_id

),

channel_model_totals as (

    select
        channel,
        conversion_kind,
        {{ attribution_model_columns(exact_sum('credited_value_@'), 'credited_value_@') }},
        {{ attribution_model_columns(
            'count(*) filter (where (positive_shares & @bit) <> 0)', 'conversions_touched_@'
        ) }}
    from conversion_credits
    group by channel, conversion_kind

),

channel_totals as (

    {{ attribution_unpivot(
        'channel_model_totals',
        [
            'channel', 'conversion_kind', 'attribution_model', 'credited_value',
            'conversions_touched',
        ],
        per_model=['credited_value', 'conversions_touched'],
    ) }}

),

final as (

    select
        channel,
        conversion_kind,
        attribution_model,
        case when conversion_kind = 'CONTACT_CREATE' then credited_value else 0 end
            as attributed_contacts,
        case when conversion_kind = 'DEAL_CREATE' then credited_value else 0 end
            as attributed_deals,
        case when conversion_kind = 'REVENUE' then credited_value else 0 end
            as attributed_revenue,
        credited_value,
        conversions_touched,
        credited_value / nullif(
            {{ exact_sum(
                'credited_value', over='partition by conversion_kind, attribution_model'
            ) }},
            0
        ) as share_of_attributed_value
    from channel_totals

)

select * from final
