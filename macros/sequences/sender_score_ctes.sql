{#- Three CTEs, `sender_score_rated`, `sender_score_pointed` and
    `sender_scored`, that add the sender
    score (sequences.md, "Sender score") to a relation holding
    started_enrollments, completed_enrollments, replied and bounced per key:
    * reply_rate = replied / (completed - bounced); bounce_rate = bounced /
      completed; null when the denominator is zero;
    * reply and bounce points from sender_score_points with the break-point
      vars; sender_score = their sum rounded to one decimal; the band from
      sender_score_band;
    * is_score_available = the `is_available` SQL condition; below it points,
      score and band are null.
    When every completed enrollment bounced, the reply rate is null and the
    reply points are 0 (no reply was earned), so the score still shows. The
    caller writes `with ..., {{ sender_score_ctes(...) }}, final as (...)`. -#}
{% macro sender_score_ctes(relation, key_columns, is_available) -%}
    {%- set bigint = dbt.type_bigint() -%}
sender_score_rated as (

    select
        {%- for key_column in key_columns %}
        {{ key_column }},
        {%- endfor %}
        cast(started_enrollments as {{ bigint }}) as started_enrollments,
        cast(completed_enrollments as {{ bigint }}) as completed_enrollments,
        cast(replied as {{ bigint }}) as replied,
        cast(bounced as {{ bigint }}) as bounced,
        cast(completed_enrollments - bounced as {{ bigint }}) as not_bounced,
        {{ safe_ratio('replied', 'completed_enrollments - bounced') }} as reply_rate,
        {{ safe_ratio('bounced', 'completed_enrollments') }} as bounce_rate,
        {{ is_available }} as is_score_available
    from {{ relation }}

),

sender_score_pointed as (

    select
        {%- for key_column in key_columns %}
        {{ key_column }},
        {%- endfor %}
        started_enrollments,
        completed_enrollments,
        replied,
        bounced,
        not_bounced,
        reply_rate,
        bounce_rate,
        case
            when is_score_available then {{ sender_score_points(
                'coalesce(reply_rate, 0)', var('sender_score_reply_breakpoints')
            ) | indent(16) }}
        end as reply_points,
        case
            when is_score_available then {{ sender_score_points(
                'bounce_rate', var('sender_score_bounce_breakpoints')
            ) | indent(16) }}
        end as bounce_points,
        is_score_available
    from sender_score_rated

),

sender_scored as (

    select
        {%- for key_column in key_columns %}
        {{ key_column }},
        {%- endfor %}
        started_enrollments,
        completed_enrollments,
        replied,
        bounced,
        not_bounced,
        reply_rate,
        bounce_rate,
        reply_points,
        bounce_points,
        cast(
            round(cast(reply_points + bounce_points as {{ dbt.type_numeric() }}), 1)
            as {{ api.Column.numeric_type('numeric', 4, 1) }}
        ) as sender_score,
        is_score_available
    from sender_score_pointed

)
{%- endmacro %}
