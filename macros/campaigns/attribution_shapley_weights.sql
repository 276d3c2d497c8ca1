{#- The Shapley weights times |S|!: a `select ... union all ...` of
    (coalition_size, subset_size, weight = |T|! (|S| − |T| − 1)!) for every
    coalition size 1..max_channels and subset size 0..coalition_size − 1. The
    factor |S|! is the same for every channel of S, so it cancels when the
    values are divided by their sum within S, and leaving it out keeps the
    weights whole numbers (exact as doubles up to 18 channels): with rates that
    are exact binary fractions every value is exact until that one division. -#}
{% macro attribution_shapley_weights(max_channels) -%}
    {%- set factorials = [1] -%}
    {%- for n in range(1, max_channels + 1) %}{% do factorials.append(factorials[-1] * n) %}{% endfor -%}
    {%- set rows = [] -%}
    {%- for coalition_size in range(1, max_channels + 1) -%}
        {%- for subset_size in range(coalition_size) -%}
            {%- do rows.append(
                'select ' ~ coalition_size ~ ' as coalition_size, ' ~ subset_size
                ~ ' as subset_size, cast('
                ~ factorials[subset_size] * factorials[coalition_size - subset_size - 1]
                ~ ' as ' ~ type_double() ~ ') as weight'
            ) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ rows | join('\n    union all\n    ') }}
{%- endmacro %}
