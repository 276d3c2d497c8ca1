{#- The SHAPLEY model's subset table: a `select ... union all ...` of every
    4-bit digit (0..15) with each of its subsets (81 rows: digit, digit_size =
    its number of set bits, subset_digit, subset_size). Joined once per hex
    digit of a coalition's bit mask, on equality, it enumerates exactly the
    coalition's subsets with their sizes: no recursive CTE (Spark has none), no
    popcount function (the engines spell it differently) and no join that tests
    every possible mask against every coalition. -#}
{% macro attribution_shapley_digit_subsets() -%}
    {%- set rows = [] -%}
    {%- for digit in range(16) -%}
        {%- set digit_bits = [] -%}
        {%- for bit in range(4) if (digit // 2 ** bit) % 2 == 1 %}{% do digit_bits.append(bit) %}{% endfor -%}
        {%- for subset_digit in range(16) -%}
            {%- set subset_bits = [] -%}
            {%- for bit in range(4) if (subset_digit // 2 ** bit) % 2 == 1 %}{% do subset_bits.append(bit) %}{% endfor -%}
            {%- if subset_bits | reject('in', digit_bits) | list | length == 0 -%}
                {%- do rows.append(
                    'select ' ~ digit ~ ' as digit, ' ~ digit_bits | length ~ ' as digit_size, '
                    ~ subset_digit ~ ' as subset_digit, ' ~ subset_bits | length ~ ' as subset_size'
                ) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ rows | join('\n    union all\n    ') }}
{%- endmacro %}
