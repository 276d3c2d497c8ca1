{#- Invariant (campaigns.md, data-driven attribution): per conversion kind and
    model (MARKOV, SHAPLEY) the channels' shares add up to 1, within 1e-9.
    Returns the kinds and models that break it. -#}
with data_driven as (

    select * from {{ ref('attribution_data_driven') }}

),

share_sums as (

    select
        conversion_kind,
        attribution_model,
        sum(share) as share_sum
    from data_driven
    group by conversion_kind, attribution_model

),

final as (

    select
        conversion_kind,
        attribution_model,
        share_sum
    from share_sums
    where share_sum is null or abs(share_sum - 1) > 1e-9

)

select * from final
