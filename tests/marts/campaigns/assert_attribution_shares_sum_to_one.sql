{#- Invariant (campaigns.md): for every conversion and model the shares of its
    credit rows sum to 1 (within 1e-9), and every conversion with credit rows
    has them under all nine models. Returns the conversions that break it. -#}
{%- set model_count = attribution_models() | length -%}

with credits as (

    select * from {{ ref('attribution_credits') }}

),

share_sums as (

    select
        conversion_kind,
        conversion_id,
        attribution_model,
        sum(share) as share_sum
    from credits
    group by conversion_kind, conversion_id, attribution_model

),

model_counts as (

    select
        conversion_kind,
        conversion_id,
        count(*) as models_credited
    from share_sums
    group by conversion_kind, conversion_id

),

broken_sums as (

    select
        conversion_kind,
        conversion_id,
        attribution_model,
        'shares sum to ' || cast(share_sum as {{ dbt.type_string() }}) as problem
    from share_sums
    where abs(share_sum - 1) > 1e-9

),

missing_models as (

    select
        conversion_kind,
        conversion_id,
        cast(null as {{ dbt.type_string() }}) as attribution_model,
        'credited under '
        || cast(models_credited as {{ dbt.type_string() }})
        || ' models' as problem
    from model_counts
    where models_credited <> {{ model_count }}

),

final as (

    select * from broken_sums
    union all
    select * from missing_models

)

select * from final
