{#- A touchpoint's TIME_DECAY weight (campaigns.md): 2^(-days before the
    conversion / var('time_decay_half_life_days')), days fractional (seconds /
    86 400), taken relative to the pool's latest touchpoint - the same shares
    once normalised, and no underflow to zero for old touchpoints. -#}
{% macro attribution_decay_weight(seconds_before_conversion, min_seconds_before_conversion) -%}
    {%- set half_life_days = var('time_decay_half_life_days', 7) | float -%}
    power(
        cast(0.5 as {{ type_double() }}),
        cast(
            {{ seconds_before_conversion }} - {{ min_seconds_before_conversion }}
            as {{ type_double() }}
        ) / (86400 * {{ half_life_days }})
    )
{%- endmacro %}
