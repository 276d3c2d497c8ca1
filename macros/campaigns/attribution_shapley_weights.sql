{#- The Shapley weights |T|! (|S| - |T| - 1)! / |S|! as a `select ... union
    all ...` of (coalition_size, subset_size, weight) for every coalition size
    1..max_channels and subset size 0..coalition_size - 1. The factorials are
    whole numbers written by Jinja (below 2^53 up to 18 channels, so exact as
    doubles); the one division happens in SQL, so every engine rounds it alike. -#}
{% macro attribution_shapley_weights(max_channels) -%}
    {%- set factorials = [1] -%}
    {%- for n in range(1, max_channels + 1) %}{% do factorials.append(factorials[-1] * n) %}{% endfor -%}
    {%- set rows = [] -%}
    {%- for coalition_size in range(1, max_channels + 1) -%}
        {%- for subset_size in range(coalition_size) -%}
            {%- do rows.append(
                'select ' ~ coalition_size ~ ' as coalition_size, ' ~ subset_size
                ~ ' as subset_size, cast(' ~ factorials[subset_size] * factorials[coalition_size - subset_size - 1]
                ~ ' as ' ~ type_double() ~ ') / ' ~ factorials[coalition_size] ~ ' as weight'
            ) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ rows | join('\n    union all\n    ') }}
{%- endmacro %}
