{#- The data-driven attribution's kind sets: a `select ... union all ...` of
    every non-empty set of conversion kinds (attribution_conversion_kinds(),
    spelt as its kinds in display order joined by ',') with each of its
    kinds, one row per (conversion_kinds, conversion_kind). A journey of
    int_attribution_journey_steps names the kinds it stands for this way (a
    contact's non-converting path is the same for every kind it does not
    convert for); joined on equality, this expands it to one journey per kind. -#}
{% macro attribution_kind_sets() -%}
    {%- set kinds = attribution_conversion_kinds() -%}
    {%- set rows = [] -%}
    {%- for set_bits in range(1, 2 ** (kinds | length)) -%}
        {%- set members = [] -%}
        {%- for position in range(kinds | length) -%}
            {%- if (set_bits // 2 ** position) % 2 == 1 %}{% do members.append(kinds[position]) %}{% endif -%}
        {%- endfor -%}
        {%- for kind in members -%}
            {%- do rows.append(
                "select '" ~ members | join(',') ~ "' as conversion_kinds, '"
                ~ kind ~ "' as conversion_kind"
            ) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ rows | join('\n    union all\n    ') }}
{%- endmacro %}
