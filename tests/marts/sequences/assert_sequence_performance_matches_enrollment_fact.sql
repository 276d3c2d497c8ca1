{#- Reconciliation: every per-sequence count of sequence_performance equals
    the count of started enrollments of fct_sequence_enrollments with the
    flag, so a BI tool filtering the fact gets the same answer; the sums over
    sequences then match as well. Returns the sequences and figures that
    differ.

    The fact's rows are read from int_sequence_enrollments_summarized: the
    view fct_sequence_enrollments passes them through unchanged (its
    passes_rows_through test), and reading the table skips the view's
    dimension joins. -#}
{%- set figures = [
    ('total_enrollments', 'true'),
    ('currently_enrolled', 'is_currently_enrolled'),
    ('opened_count', 'is_opened'),
    ('clicked_count', 'is_clicked'),
    ('replied_count', 'is_replied'),
    ('meeting_count', 'is_meeting_booked'),
    ('no_reply_count', 'is_no_reply'),
    ('bounced_count', 'is_bounced'),
    ('unsubscribed_count', 'is_unsubscribed'),
    ('deal_count', 'is_deal_created'),
] %}

with performance as (

    select * from {{ ref('sequence_performance') }}

),

fact_counts as (

    select
        sequence_id,
        {%- for figure, flag in figures %}
        count(*) filter (where {{ flag }}) as {{ figure }},
        {%- endfor %}
        count(distinct contact_id) as unique_contacts
    from {{ ref('int_sequence_enrollments_summarized') }}
    where is_started
    group by sequence_id

),

final as (

    select
        performance.sequence_id,
        fact_counts.sequence_id as fact_sequence_id
    from performance
    full outer join fact_counts
        on performance.sequence_id = fact_counts.sequence_id
    where
        performance.sequence_id is null
        or coalesce(fact_counts.unique_contacts, 0) != performance.unique_contacts
        {%- for figure, flag in figures %}
        or coalesce(fact_counts.{{ figure }}, 0) != performance.{{ figure }}
        {%- endfor %}

)

select * from final
