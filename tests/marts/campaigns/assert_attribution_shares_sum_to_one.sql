{#- Invariant (campaigns.md): for every conversion and model the shares of its
    credit rows sum to 1 (within 1e-9). Read from the wide
    int_attribution_credits_dealt, whose unpivot is attribution_credits: one
    pass, the nine models' sums side by side; every conversion with credit rows
    has them under all nine models by construction (one not-null share column
    per model). Returns the conversions and models that break it. -#}
with credits as (

    select * from {{ ref('int_attribution_credits_dealt') }}

),

share_sums as (

    select
        conversion_kind,
        conversion_id,
        {{ attribution_model_columns('sum(share_@)', 'share_sum_@') }}
    from credits
    group by conversion_kind, conversion_id

),

model_share_sums as (

    {{ attribution_unpivot(
        'share_sums',
        ['conversion_kind', 'conversion_id', 'attribution_model', 'share_sum'],
        per_model=['share_sum'],
    ) }}

),

final as (

    select
        conversion_kind,
        conversion_id,
        attribution_model,
        'shares sum to ' || cast(share_sum as {{ dbt.type_string() }}) as problem
    from model_share_sums
    where abs(share_sum - 1) > 1e-9

)

select * from final
