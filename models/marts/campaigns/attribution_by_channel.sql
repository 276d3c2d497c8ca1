{#- Beyond HubSpot: attribution by channel (a session's source category, or
    EMAIL_MARKETING, FORM, PAID_ADS, ORGANIC_SOCIAL, CTA, SALES) per conversion
    kind × model - where the credit goes whatever the campaign, touchpoints of
    no campaign included. The channels of a kind and model add up to the
    attributed value in attribution_summary. -#}
{#- The nine models are summed side by side over the wide credit table
    (columns <name>_<model>), then unpivoted: the credited values straight
    from the credit rows (one exact sum per channel, kind and model), the
    conversions touched from one bit mask per channel and conversion. -#}
-- inlined: the two aggregates below read different columns of it
with credits as {{ not_materialized() }} (

    select * from {{ ref('int_attribution_credits_dealt') }}

),

conversion_credits as (

    -- which models credit the channel in the conversion (one aggregate)
    select
        channel,
        conversion_kind,
        conversion_id,
        bit_or(
            {{ attribution_positive_shares() }}
        ) as positive_shares
    from credits
    group by channel, conversion_kind, conversion_id

),

channel_touches as (

    select
        channel,
        conversion_kind,
        {{ attribution_model_columns(
            'count(*) filter (where (positive_shares & @bit) <> 0)', 'conversions_touched_@'
        ) }}
    from conversion_credits
    group by channel, conversion_kind

),

channel_values as (

    -- summed straight from the credit rows: exact, whatever their order
    select
        channel,
        conversion_kind,
        {{ attribution_model_columns(exact_sum('credited_value_@'), 'credited_value_@') }}
    from credits
    group by channel, conversion_kind

),

channel_model_totals as (

    -- both hold every (channel, kind) of the credit rows
    select
        channel_values.*,
        {{ attribution_model_columns(
            'channel_touches.conversions_touched_@', 'conversions_touched_@'
        ) }}
    from channel_values
    inner join channel_touches
        on
            -- a touchpoint's channel is never null; null-safe all the same
            channel_values.channel is not distinct from channel_touches.channel
            and channel_values.conversion_kind = channel_touches.conversion_kind

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
