{#- Reconciliation: the monthly report's enrollments and counts, summed over
    months, equal the totals over all sequences of sequence_performance.
    Returns a row per figure that differs. -#}
{%- set figures = [
    ('enrollments', 'total_enrollments'),
    ('opened_count', 'opened_count'),
    ('clicked_count', 'clicked_count'),
    ('replied_count', 'replied_count'),
    ('meeting_count', 'meeting_count'),
    ('unsubscribed_count', 'unsubscribed_count'),
] %}

with monthly as (

    select
        {%- for monthly_figure, total_figure in figures %}
        coalesce(sum({{ monthly_figure }}), 0) as {{ monthly_figure }},
        {%- endfor %}
        count(*) as months
    from {{ ref('sequence_monthly') }}

),

totals as (

    select
        {%- for monthly_figure, total_figure in figures %}
        coalesce(sum({{ total_figure }}), 0) as {{ total_figure }},
        {%- endfor %}
        count(*) as sequences
    from {{ ref('sequence_performance') }}

),

final as (

    {%- for monthly_figure, total_figure in figures %}
    select
        '{{ monthly_figure }}' as figure,
        monthly.{{ monthly_figure }} as monthly_sum,
        totals.{{ total_figure }} as total
    from monthly
    cross join totals
    where monthly.{{ monthly_figure }} != totals.{{ total_figure }}
    {{ "union all" if not loop.last }}
    {%- endfor %}

)

select * from final
