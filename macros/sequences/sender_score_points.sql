{#- Piecewise-linear points for a rate, clamped at both ends: `breakpoints` is
    a list of [rate, points] pairs (e.g. var('sender_score_reply_breakpoints')),
    sorted here by rate. At or below the first break-point the first points
    apply, at or above the last the last; between two, points are interpolated
    linearly. A null rate gives null points. Every literal is cast to double
    and the fraction is computed as (rate - x0) / (x1 - x0), so a rate equal to
    a break-point gives that break-point's points exactly. -#}
{% macro sender_score_points(rate_expression, breakpoints) -%}
    {%- set points = breakpoints | sort(attribute=0) -%}
    {%- if points | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            "sender_score_points: the break-point list is empty"
        ) }}
    {%- endif -%}
    {%- set double = type_double() -%}
    case
        when {{ rate_expression }} is null then null
        when {{ rate_expression }} <= cast({{ points[0][0] }} as {{ double }})
            then cast({{ points[0][1] }} as {{ double }})
        {%- for index in range(1, points | length) %}
        {%- set lower = points[index - 1] %}
        {%- set upper = points[index] %}
        {%- if upper[0] > lower[0] %}
        when {{ rate_expression }} <= cast({{ upper[0] }} as {{ double }})
            then cast({{ lower[1] }} as {{ double }})
            + (cast({{ upper[1] }} as {{ double }}) - cast({{ lower[1] }} as {{ double }}))
            * (
                ({{ rate_expression }} - cast({{ lower[0] }} as {{ double }}))
                / (cast({{ upper[0] }} as {{ double }}) - cast({{ lower[0] }} as {{ double }}))
            )
        {%- endif %}
        {%- endfor %}
        else cast({{ points[-1][1] }} as {{ double }})
    end
{%- endmacro %}
