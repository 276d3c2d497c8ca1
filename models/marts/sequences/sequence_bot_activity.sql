{#- Beyond HubSpot: one row per sequence, its email open and click events with
    and without bot events (is_bot = true: privacy proxies, link scanners),
    and the enrollments that would count as opened / clicked if bots counted,
    beside the human-only figures that every other mart uses. Shows how much
    the bot filter removes. Events after as_of are left out, as everywhere.
    Over the enrollments that sent an email (emails_sent > 0), from the
    enrollment facts' per-enrollment totals. -#}
with sequences as (

    select * from {{ ref('int_sequences_prepared') }}

),

-- the per-enrollment email totals, computed once in the enrollment facts
enrollments as (

    select * from {{ ref('int_sequence_enrollments_summarized') }}
    where emails_sent > 0

),

enrollment_flags as (

    select
        sequence_id,
        enrollment_id,
        opens as human_opens,
        bot_opens,
        clicks as human_clicks,
        bot_clicks
    from enrollments

),

sequence_totals as (

    select
        sequence_id,
        count(*) as enrollments_with_email,
        cast(sum(human_opens) as {{ dbt.type_bigint() }}) as human_opens,
        cast(sum(bot_opens) as {{ dbt.type_bigint() }}) as bot_opens,
        cast(sum(human_clicks) as {{ dbt.type_bigint() }}) as human_clicks,
        cast(sum(bot_clicks) as {{ dbt.type_bigint() }}) as bot_clicks,
        count(*) filter (where human_opens > 0) as opened_enrollments,
        count(*) filter (where human_opens + bot_opens > 0) as opened_enrollments_with_bots,
        count(*) filter (where human_clicks > 0) as clicked_enrollments,
        count(*) filter (where human_clicks + bot_clicks > 0) as clicked_enrollments_with_bots
    from enrollment_flags
    group by sequence_id

),

final as (

    select
        sequences.sequence_id,
        sequences.sequence_name,
        coalesce(sequence_totals.enrollments_with_email, 0) as enrollments_with_email,
        coalesce(sequence_totals.human_opens, 0) as opens,
        coalesce(sequence_totals.bot_opens, 0) as bot_opens,
        coalesce(sequence_totals.human_opens + sequence_totals.bot_opens, 0)
            as opens_with_bots,
        coalesce(sequence_totals.human_clicks, 0) as clicks,
        coalesce(sequence_totals.bot_clicks, 0) as bot_clicks,
        coalesce(sequence_totals.human_clicks + sequence_totals.bot_clicks, 0)
            as clicks_with_bots,
        coalesce(sequence_totals.opened_enrollments, 0) as opened_enrollments,
        coalesce(sequence_totals.opened_enrollments_with_bots, 0)
            as opened_enrollments_with_bots,
        coalesce(sequence_totals.clicked_enrollments, 0) as clicked_enrollments,
        coalesce(sequence_totals.clicked_enrollments_with_bots, 0)
            as clicked_enrollments_with_bots,
        {{ safe_ratio(
            'sequence_totals.bot_opens',
            'sequence_totals.human_opens + sequence_totals.bot_opens'
        ) }} as bot_open_share,
        {{ safe_ratio(
            'sequence_totals.bot_clicks',
            'sequence_totals.human_clicks + sequence_totals.bot_clicks'
        ) }} as bot_click_share,
        sequences.is_deleted
    from sequences
    left join sequence_totals
        on sequences.sequence_id = sequence_totals.sequence_id

)

select * from final
