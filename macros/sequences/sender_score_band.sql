{#- The sender-score band of a score: the first band (highest threshold first)
    of `var('sender_score_bands')` whose threshold the score reaches (>=),
    else 'Low'; null for a null score. -#}
{% macro sender_score_band(score_expression) -%}
    {%- set bands = var('sender_score_bands') -%}
    {%- set ordered = bands.items() | list | sort(attribute=1, reverse=true) -%}
    case
        when {{ score_expression }} is null then null
        {%- for band_name, threshold in ordered %}
        when {{ score_expression }} >= {{ threshold }} then '{{ band_name }}'
        {%- endfor %}
        else 'Low'
    end
{%- endmacro %}
