{#- Beyond HubSpot: the two data-driven attribution models, MARKOV (removal
    effect in a first-order Markov chain of channels) and SHAPLEY (Shapley
    value over the sets of channels the journeys touch), per conversion kind
    and channel, read from the journeys' merged steps only
    (int_attribution_journey_steps), so that they agree with
    attribution_journeys and attribution_paths. See the YAML docs for the
    method and its limits. A contact's non-converting journey is stored once
    for every kind it does not convert for: the steps are aggregated per kind
    set first (channel sets, moves) and only those few rows are expanded per
    kind. -#}
{#- The most channels a kind may have: the Markov solve has one column and one
    elimination step per channel number, the Shapley masks one bit. 12
    channels exist today; a kind with more gets null shares, which the mart's
    not_null tests report. A multiple of 4 (one hex digit per 4 channels).
    sqlfluff renders the model for 8 (the `lint` target of profiles.yml): the
    loops give the same SQL shape, and the 16-channel rendering (148 KB of
    SQL) took a minute of the lint's two. -#}
{%- set max_channels = 8 if target.name == 'lint' else 16 -%}
{#- The Shapley subsets' columns: one term per hex digit of the masks. -#}
{%- set digits = range(max_channels // 4) -%}
{%- set coalition_size, subset, subset_size = [], [], [] -%}
{%- for d in digits -%}
{%- do coalition_size.append('digit_' ~ d ~ '.digit_size') -%}
{%- do subset.append((16 ** d) ~ ' * digit_' ~ d ~ '.subset_digit') -%}
{%- do subset_size.append('digit_' ~ d ~ '.subset_size') -%}
{%- endfor %}
-- grain: one row per (conversion_kind, attribution_model, channel)
with journey_steps as (

    select * from {{ ref('int_attribution_journey_steps') }}

),

kind_sets as (

    {{ attribution_kind_sets() }}

),

set_channel_names as (

    select distinct
        conversion_kinds,
        channel
    from journey_steps

),

kind_channel_names as (

    select distinct
        kind_sets.conversion_kind,
        set_channel_names.channel
    from set_channel_names
    inner join kind_sets
        on set_channel_names.conversion_kinds = kind_sets.conversion_kinds

),

kind_channels as (

    -- every channel seen in the kind's journeys, numbered 1..n, and its bit
    select
        conversion_kind,
        channel,
        channel_number,
        cast(power(2, channel_number - 1) as bigint) as channel_bit
    from (
        select
            conversion_kind,
            channel,
            row_number() over (
                partition by conversion_kind order by channel
            ) as channel_number
        from kind_channel_names
    ) as numbered

),

channels as (

    -- every channel of any kind, numbered across the kinds, and its bit: a
    -- journey's channel set before it is told per kind
    select
        channel,
        cast(power(2, channel_number - 1) as bigint) as channel_bit
    from (
        select
            channel,
            row_number() over (order by channel) as channel_number
        from (select distinct channel from set_channel_names) as distinct_channels
    ) as numbered

),

set_journeys as (

    -- one row per journey as stored (a contact's non-converting journey once
    -- for its kinds); its channel set is the bit set of its channels
    select
        journey_steps.conversion_kinds,
        journey_steps.journey_id,
        journey_steps.is_converting,
        bit_or(channels.channel_bit) as channel_set,
        max(journey_steps.value) as value
    from journey_steps
    inner join channels
        on journey_steps.channel = channels.channel
    group by journey_steps.conversion_kinds, journey_steps.journey_id, journey_steps.is_converting

),

set_coalitions as (

    -- the journeys per kind set, converting flag and channel set, and their
    -- value (exact decimals, as exact_sum adds them)
    select
        conversion_kinds,
        is_converting,
        channel_set,
        count(*) as journeys,
        sum(cast(value as decimal(38, 18))) as value
    from set_journeys
    group by conversion_kinds, is_converting, channel_set

),

kind_coalitions as (

    -- a channel set as each kind's coalition: the bits of the kind's numbers
    -- of its channels (kind_channels)
    select
        kind_sets.conversion_kind,
        channel_sets.conversion_kinds,
        channel_sets.channel_set,
        bit_or(kind_channels.channel_bit) as coalition
    from (
        select distinct
            conversion_kinds,
            channel_set
        from set_coalitions
    ) as channel_sets
    inner join kind_sets
        on channel_sets.conversion_kinds = kind_sets.conversion_kinds
    inner join kind_channels
        on kind_sets.conversion_kind = kind_channels.conversion_kind
    inner join channels
        on
            kind_channels.channel = channels.channel
            and (channel_sets.channel_set & channels.channel_bit) <> 0
    group by kind_sets.conversion_kind, channel_sets.conversion_kinds, channel_sets.channel_set

),

journeys as (

    -- per kind, converting flag and coalition (the bit set of the journey's
    -- channels): how many journeys and their value
    select
        kind_coalitions.conversion_kind,
        set_coalitions.is_converting,
        kind_coalitions.coalition,
        set_coalitions.journeys,
        set_coalitions.value
    from set_coalitions
    inner join kind_coalitions
        on
            set_coalitions.conversion_kinds = kind_coalitions.conversion_kinds
            and set_coalitions.channel_set = kind_coalitions.channel_set

),

kind_totals as (

    select
        conversion_kind,
        cast(coalesce(sum(journeys) filter (where is_converting), 0) as bigint)
            as converting_journeys,
        cast(coalesce(sum(journeys) filter (where not is_converting), 0) as bigint)
            as non_converting_journeys,
        coalesce({{ exact_sum('value', filter='is_converting') }}, 0) as converting_value
    from journeys
    group by conversion_kind

),

kind_channel_counts as (

    select
        conversion_kind,
        count(*) as channel_count
    from kind_channels
    group by conversion_kind

),

-- MARKOV ----------------------------------------------------------------

step_transitions as (

    -- every step's move: to the next step's channel, or from the last step to
    -- (conversion) or (null) (no next channel); and (start) to the first step
    -- (no from channel)
    select
        conversion_kinds,
        channel as from_channel,
        next_channel as to_channel,
        is_last_step and is_converting as is_to_conversion
    from journey_steps
    union all
    select
        conversion_kinds,
        cast(null as {{ dbt.type_string() }}) as from_channel,
        channel as to_channel,
        false as is_to_conversion
    from journey_steps
    where step_number = 1

),

set_transition_totals as (

    select
        conversion_kinds,
        from_channel,
        to_channel,
        is_to_conversion,
        count(*) as transitions
    from step_transitions
    group by conversion_kinds, from_channel, to_channel, is_to_conversion

),

transition_totals as (

    -- a journey stored for several kinds moves once in each
    select
        kind_sets.conversion_kind,
        set_transition_totals.from_channel,
        set_transition_totals.to_channel,
        set_transition_totals.is_to_conversion,
        cast(sum(set_transition_totals.transitions) as bigint) as transitions
    from set_transition_totals
    inner join kind_sets
        on set_transition_totals.conversion_kinds = kind_sets.conversion_kinds
    group by
        kind_sets.conversion_kind,
        set_transition_totals.from_channel,
        set_transition_totals.to_channel,
        set_transition_totals.is_to_conversion

),

transition_counts as (

    -- state numbers: 0 for (start), the channel's number, null for an absorbing state
    select
        transition_totals.conversion_kind,
        coalesce(from_channels.channel_number, 0) as from_number,
        to_channels.channel_number as to_number,
        transition_totals.is_to_conversion,
        transition_totals.transitions
    from transition_totals
    left join kind_channels as from_channels
        on
            transition_totals.conversion_kind = from_channels.conversion_kind
            and transition_totals.from_channel = from_channels.channel
    left join kind_channels as to_channels
        on
            transition_totals.conversion_kind = to_channels.conversion_kind
            and transition_totals.to_channel = to_channels.channel

),

transition_rows as (

    -- one row per transient state: its moves out, to each channel, to (conversion)
    select
        conversion_kind,
        from_number as state_number,
        sum(transitions) as moves_out,
        {%- for k in range(1, max_channels + 1) %}
        coalesce(sum(case when to_number = {{ k }} then transitions end), 0) as moves_to_{{ k }},
        {%- endfor %}
        coalesce(sum(case when is_to_conversion then transitions end), 0) as moves_to_conversion
    from transition_counts
    group by conversion_kind, from_number

),

removal_scenarios as (

    -- 0: nothing removed (P); k: channel k removed (P without k)
    select
        conversion_kind,
        0 as removed_number
    from kind_channel_counts
    union all
    select
        conversion_kind,
        channel_number as removed_number
    from kind_channels

),

markov_chains as (

    -- each scenario's equations (attribution_markov_solve): every move into
    -- the removed channel goes to (null) instead
    select
        removal_scenarios.conversion_kind,
        removal_scenarios.removed_number,
        transition_rows.state_number,
        cast(
            case when transition_rows.state_number = 0 then transition_rows.moves_out else 0 end
            as {{ type_double() }}
        ) as a_start,
        {%- for k in range(1, max_channels + 1) %}
        cast(
            case
                when transition_rows.state_number = {{ k }} then transition_rows.moves_out
                when removal_scenarios.removed_number = {{ k }} then 0
                else -transition_rows.moves_to_{{ k }}
            end
            as {{ type_double() }}
        ) as a_{{ k }},
        {%- endfor %}
        cast(transition_rows.moves_to_conversion as {{ type_double() }}) as b
    from removal_scenarios
    inner join transition_rows
        on removal_scenarios.conversion_kind = transition_rows.conversion_kind

),

{{ attribution_markov_solve('markov_chains', max_channels) }},

conversion_probabilities as (

    -- P = b / a_start of the (start) row, per scenario, beside the scenario
    -- with nothing removed
    select
        conversion_kind,
        removed_number,
        a_start,
        b,
        max(case when removed_number = 0 then a_start end) over (
            partition by conversion_kind
        ) as full_a_start,
        max(case when removed_number = 0 then b end) over (
            partition by conversion_kind
        ) as full_b
    from markov_solved_{{ max_channels }}
    where state_number = 0

),

markov_effects as (

    -- 1 − P without the channel / P, as one division of whole numbers
    select
        conversion_kind,
        removed_number as channel_number,
        (full_b * a_start - b * full_a_start) / nullif(full_b * a_start, 0) as removal_effect
    from conversion_probabilities
    where removed_number > 0

),

markov_credits as (

    select
        conversion_kind,
        channel_number,
        removal_effect,
        -- a plain sum of at most max_channels doubles: exact_sum's decimal cast
        -- keeps only 15 digits on PostgreSQL, which moves the last bit here.
        -- Added in channel order: without an order a parallel engine may add
        -- them in another order on each run, and the last bit moves
        removal_effect / nullif(
            sum(removal_effect) over (
                partition by conversion_kind
                order by channel_number
                rows between unbounded preceding and unbounded following
            ),
            0
        ) as share
    from markov_effects

),

-- SHAPLEY ---------------------------------------------------------------

coalition_totals as (

    -- per exact channel set: conversions(S), non_conversions(S), value(S), CR(S)
    select
        conversion_kind,
        coalition,
        cast(coalesce(sum(journeys) filter (where is_converting), 0) as bigint) as conversions,
        {{ safe_ratio('coalesce(sum(journeys) filter (where is_converting), 0)', 'sum(journeys)') }}
            as conversion_rate,
        coalesce({{ exact_sum('value', filter='is_converting') }}, 0) as conversion_value
    from journeys
    group by conversion_kind, coalition

),

digit_subsets as (

    {{ attribution_shapley_digit_subsets() }}

),

coalition_subsets as (

    -- every converting coalition S with each of its subsets T (both as bit
    -- masks) and their sizes: the subsets of S are the subsets of each of its
    -- hex digits, combined
    select
        coalition_totals.conversion_kind,
        coalition_totals.coalition,
        {{ coalition_size | join(' + ') }} as coalition_size,
        {{ subset | join(' + ') }} as subset,
        {{ subset_size | join(' + ') }} as subset_size
    from coalition_totals
    {% for d in digits -%}
    inner join digit_subsets as digit_{{ d }}
        on (coalition_totals.coalition & {{ 15 * 16 ** d }}) = {{ 16 ** d }} * digit_{{ d }}.digit
    {% endfor -%}
    where coalition_totals.conversions > 0

),

shapley_weights as (

    {{ attribution_shapley_weights(max_channels) }}

),

marginal_contributions as (

    -- for each channel i in S and each T ⊆ S∖{i}: CR(T ∪ {i}) − CR(T) weighted
    -- by |T|! (|S| − |T| − 1)! (the Shapley weight times |S|!, which cancels
    -- in coalition_shares)
    select
        coalition_subsets.conversion_kind,
        coalition_subsets.coalition,
        kind_channels.channel_number,
        shapley_weights.weight * (
            coalesce(with_channel.conversion_rate, 0)
            - coalesce(without_channel.conversion_rate, 0)
        ) as contribution
    from coalition_subsets
    inner join kind_channels
        on
            coalition_subsets.conversion_kind = kind_channels.conversion_kind
            and (coalition_subsets.coalition & kind_channels.channel_bit) <> 0
            and (coalition_subsets.subset & kind_channels.channel_bit) = 0
    inner join shapley_weights
        on
            coalition_subsets.coalition_size = shapley_weights.coalition_size
            and coalition_subsets.subset_size = shapley_weights.subset_size
    left join coalition_totals as with_channel
        on
            coalition_subsets.conversion_kind = with_channel.conversion_kind
            and coalition_subsets.subset + kind_channels.channel_bit = with_channel.coalition
    left join coalition_totals as without_channel
        on
            coalition_subsets.conversion_kind = without_channel.conversion_kind
            and coalition_subsets.subset = without_channel.coalition

),

shapley_values as (

    -- |S|! phi_i(S), negative values as 0
    select
        conversion_kind,
        coalition,
        channel_number,
        greatest({{ exact_sum('contribution') }}, 0) as shapley_value
    from marginal_contributions
    group by conversion_kind, coalition, channel_number

),

coalition_shares as (

    -- within S: phi over the sum of phi, or 1/|S| when every phi is 0
    select
        conversion_kind,
        coalition,
        channel_number,
        coalesce(
            shapley_value / nullif(
                {{ exact_sum('shapley_value', over='partition by conversion_kind, coalition') }},
                0
            ),
            {{ safe_ratio(1, 'count(*) over (partition by conversion_kind, coalition)') }}
        ) as coalition_share
    from shapley_values

),

shapley_credits as (

    select
        coalition_shares.conversion_kind,
        coalition_shares.channel_number,
        {{ exact_sum('coalition_totals.conversions * coalition_shares.coalition_share') }}
            as credited_conversions,
        {{ exact_sum('coalition_totals.conversion_value * coalition_shares.coalition_share') }}
            as credited_value
    from coalition_shares
    inner join coalition_totals
        on
            coalition_shares.conversion_kind = coalition_totals.conversion_kind
            and coalition_shares.coalition = coalition_totals.coalition
    group by coalition_shares.conversion_kind, coalition_shares.channel_number

),

-- both models -----------------------------------------------------------

model_rows as (

    select
        kind_channels.conversion_kind,
        'MARKOV' as attribution_model,
        kind_channels.channel,
        markov_credits.removal_effect,
        markov_credits.share,
        markov_credits.share * kind_totals.converting_journeys as credited_conversions,
        markov_credits.share * kind_totals.converting_value as credited_value
    from kind_channels
    inner join kind_totals
        on kind_channels.conversion_kind = kind_totals.conversion_kind
    left join markov_credits
        on
            kind_channels.conversion_kind = markov_credits.conversion_kind
            and kind_channels.channel_number = markov_credits.channel_number
    union all
    select
        kind_channels.conversion_kind,
        'SHAPLEY' as attribution_model,
        kind_channels.channel,
        cast(null as {{ type_double() }}) as removal_effect,
        {{ safe_ratio(
            'coalesce(shapley_credits.credited_conversions, 0)',
            'kind_totals.converting_journeys'
        ) }} as share,
        coalesce(shapley_credits.credited_conversions, 0) as credited_conversions,
        coalesce(shapley_credits.credited_value, 0) as credited_value
    from kind_channels
    inner join kind_totals
        on kind_channels.conversion_kind = kind_totals.conversion_kind
    left join shapley_credits
        on
            kind_channels.conversion_kind = shapley_credits.conversion_kind
            and kind_channels.channel_number = shapley_credits.channel_number

),

final as (

    -- only kinds with a converting journey; a kind with more channels than
    -- the solve has room for gets null figures (the not_null tests fail)
    select
        model_rows.conversion_kind,
        model_rows.attribution_model,
        model_rows.channel,
        kind_totals.converting_journeys,
        kind_totals.non_converting_journeys,
        model_rows.removal_effect,
        case
            when kind_channel_counts.channel_count <= {{ max_channels }} then model_rows.share
        end as share,
        case
            when kind_channel_counts.channel_count <= {{ max_channels }}
                then model_rows.credited_conversions
        end as credited_conversions,
        case
            when kind_channel_counts.channel_count <= {{ max_channels }}
                then model_rows.credited_value
        end as credited_value
    from model_rows
    inner join kind_totals
        on model_rows.conversion_kind = kind_totals.conversion_kind
    inner join kind_channel_counts
        on model_rows.conversion_kind = kind_channel_counts.conversion_kind
    where kind_totals.converting_journeys > 0

)

select * from final
