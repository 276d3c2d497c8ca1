{#- Beyond HubSpot: the nine models side by side, one row per campaign ×
    conversion kind, so a marketer sees how much the choice of model moves the
    campaign's credit (contacts, deals or revenue), with the lowest, highest
    and their spread. -#}
{%- set model_names = attribution_models() | map(attribute='name') | list -%}

with campaign_attribution as (

    select * from {{ ref('campaign_attribution') }}

),

campaigns as (

    select * from {{ ref('int_campaigns_prepared') }}

),

credited as (

    select
        campaign_id,
        conversion_kind,
        attribution_model,
        attributed_contacts + attributed_deals + attributed_revenue as credited_value
    from campaign_attribution

),

pivoted as (

    select
        campaign_id,
        conversion_kind,
        {%- for model_name in model_names %}
        sum(case when attribution_model = '{{ model_name }}' then credited_value end)
            as {{ model_name | lower }},
        {%- endfor %}
        min(credited_value) as lowest_credit,
        max(credited_value) as highest_credit
    from credited
    group by campaign_id, conversion_kind

),

final as (

    select
        pivoted.campaign_id,
        campaigns.campaign_name,
        pivoted.conversion_kind,
        {%- for model_name in model_names %}
        pivoted.{{ model_name | lower }},
        {%- endfor %}
        pivoted.lowest_credit,
        pivoted.highest_credit,
        pivoted.highest_credit - pivoted.lowest_credit as credit_spread,
        {{ safe_ratio(
            'pivoted.highest_credit - pivoted.lowest_credit', 'pivoted.linear'
        ) }} as credit_spread_over_linear
    from pivoted
    inner join campaigns
        on pivoted.campaign_id = campaigns.campaign_id

)

select * from final
