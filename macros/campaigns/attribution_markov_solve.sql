{#- The MARKOV model's absorbing chain solved exactly by Gauss-Jordan
    elimination, one channel at a time, for every (conversion kind, removed
    channel) scenario at once. Renders a chain of CTEs (no leading comma, no
    trailing one) that starts from `source` - one row per scenario
    (conversion_kind, removed_number) and transient state (state_number: 0 for
    (start), 1..n for the kind's channels), columns q_1..q_<max_channels> (the
    probability of moving to channel k, 0 for the removed channel) and
    q_conversion (of moving to (conversion)) - and ends with
    `markov_solved_<max_channels>`, where every row's q_k are 0 and
    q_conversion is the probability of ending in (conversion) from that state.
    Step p substitutes state p's equation x_p = Σ q_pk x_k + q_pconv into every
    other row: q_ik += q_ip · q_pk / (1 − q_pp), then q_ip = 0. Each step reads
    the previous CTE once and picks state p's row with one window per scenario
    (no self-join), so no engine duplicates the chain when it inlines CTEs.
    A step whose channel p the kind lacks changes nothing. -#}
{% macro attribution_markov_solve(source, max_channels) -%}
    {%- set scenario = 'partition by conversion_kind, removed_number' -%}
    {%- set columns = [] -%}
    {%- for k in range(1, max_channels + 1) %}{% do columns.append('q_' ~ k) %}{% endfor -%}
    {%- do columns.append('q_conversion') -%}
    {%- for p in range(1, max_channels + 1) %}
    {%- set previous = source if p == 1 else 'markov_solved_' ~ (p - 1) %}
markov_pivot_{{ p }} as (

    -- state {{ p }}'s row beside every row of its scenario
    select
        conversion_kind,
        removed_number,
        state_number,
        {%- for column in columns %}
        {{ column }},
        max(case when state_number = {{ p }} then {{ column }} end) over (
            {{ scenario }}
        ) as pivot_{{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ previous }}

),

markov_solved_{{ p }} as (

    -- x_{{ p }} substituted into every other state's equation
    select
        conversion_kind,
        removed_number,
        state_number,
        {%- for column in columns %}
        {%- if column == 'q_' ~ p %}
        case when state_number = {{ p }} then {{ column }} else 0 end as {{ column }}
        {%- else %}
        case
            when state_number = {{ p }} then {{ column }}
            else {{ column }} + coalesce(
                q_{{ p }} * pivot_{{ column }} / (1 - pivot_q_{{ p }}), 0
            )
        end as {{ column }}
        {%- endif %}{{ ',' if not loop.last }}
        {%- endfor %}
    from markov_pivot_{{ p }}

){{ ',' if not loop.last }}
{% endfor -%}
{%- endmacro %}
