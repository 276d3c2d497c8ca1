{#- The MARKOV model's absorbing chain solved exactly, for every (conversion
    kind, removed channel) scenario at once, by fraction-free Gauss-Jordan
    elimination (Montante's method) on the move counts. Renders a chain of CTEs
    (no leading or trailing comma) that starts from `source` and ends with
    `markov_solved_<max_channels>`.

    `source` has one row per scenario (conversion_kind, removed_number) and
    transient state (state_number: 0 for (start), 1..n for the kind's
    channels): the state's equation out·x_state − Σ_k moves_k·x_k = moves to
    (conversion), held as a_start (out for (start), else 0), a_1..a_<max> (out
    on the diagonal, minus the moves to channel k elsewhere; 0 for moves into
    the removed channel, which go to (null)) and b (the moves to
    (conversion)); x is the probability of ending in (conversion).

    Step p uses state p's row as pivot row: every other row becomes
    (a_pp · a_ij − a_ip · a_pj) / d, where d is the previous step's pivot
    (1 at first). The division is exact, so with whole counts every value stays
    a whole number (a determinant of the counts) until the one division that
    gives the probability: after the last step the (start) row reads
    a_start · x_start = b. Each step reads the previous CTE once and finds row p
    with one window per scenario (no self-join), so no engine copies the chain
    when it inlines CTEs. A step whose channel p the kind lacks changes nothing. -#}
{% macro attribution_markov_solve(source, max_channels) -%}
    {%- set scenario = 'partition by conversion_kind, removed_number' -%}
    {%- set columns = ['a_start'] -%}
    {%- for k in range(1, max_channels + 1) %}{% do columns.append('a_' ~ k) %}{% endfor -%}
    {%- do columns.append('b') -%}
    {%- for p in range(1, max_channels + 1) %}
    {%- set previous = source if p == 1 else 'markov_solved_' ~ (p - 1) %}
markov_pivot_{{ p }} as (

    -- state {{ p }}'s row beside every row of its scenario
    select
        conversion_kind,
        removed_number,
        state_number,
        {%- if p == 1 %}
        cast(1 as {{ type_double() }}) as previous_pivot,
        {%- else %}
        previous_pivot,
        {%- endif %}
        {%- for column in columns %}
        {{ column }},
        max(case when state_number = {{ p }} then {{ column }} end) over (
            {{ scenario }}
        ) as pivot_{{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ previous }}

),

markov_solved_{{ p }} as (

    -- x_{{ p }} eliminated from every other state's equation
    select
        conversion_kind,
        removed_number,
        state_number,
        coalesce(pivot_a_{{ p }}, previous_pivot) as previous_pivot,
        {%- for column in columns %}
        case
            when state_number = {{ p }} or pivot_a_{{ p }} is null then {{ column }}
            else (pivot_a_{{ p }} * {{ column }} - a_{{ p }} * pivot_{{ column }}) / previous_pivot
        end as {{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from markov_pivot_{{ p }}

){{ ',' if not loop.last }}
{% endfor -%}
{%- endmacro %}
