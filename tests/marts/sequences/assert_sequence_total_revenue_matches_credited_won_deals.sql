{#- Reconciliation: each sequence's total_revenue equals the amounts of the
    closed-won deals credited to its enrollments, summed straight from the
    deal attribution. Returns the sequences that differ.

    The fact's rows are read from int_sequence_enrollments_summarized: the
    view fct_sequence_enrollments passes them through unchanged (its
    passes_rows_through test), and reading the table skips the view's
    dimension joins. -#}
with credited_deals as (

    select
        enrollments.sequence_id,
        sum(deals.amount) as won_amount
    from {{ ref('int_sequence_deals_attributed') }} as deals
    inner join {{ ref('int_sequence_enrollments_summarized') }} as enrollments
        on deals.attributed_enrollment_id = enrollments.enrollment_id
    where deals.is_closed_won
    group by enrollments.sequence_id

),

performance as (

    select * from {{ ref('sequence_performance') }}

),

final as (

    select
        performance.sequence_id,
        performance.total_revenue,
        credited_deals.won_amount
    from performance
    full outer join credited_deals
        on performance.sequence_id = credited_deals.sequence_id
    where coalesce(performance.total_revenue, -1) != coalesce(credited_deals.won_amount, 0)

)

select * from final
