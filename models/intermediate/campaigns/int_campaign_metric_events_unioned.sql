{#- The events behind the overview, daily and monthly campaign figures, one
    row per campaign × metric × subject, dated in the reporting time zone, so
    that the three marts only count them and days add up to the totals:
    SESSIONS (a session of any visitor that viewed a campaign web asset at or
    after association), NEW_CONTACTS_FIRST_TOUCH / NEW_CONTACTS_LAST_TOUCH (a
    contact created at or before as-of whose first / last touchpoint at or
    before its creation belongs to the campaign), INFLUENCED_CONTACTS (a contact,
    on the day of its first non-meeting touchpoint of the campaign) and SPEND
    (a spend row, its amount).

    A new contact's first and last touchpoints are found by aggregates (the
    earliest / latest instant, then the smallest / largest touchpoint_id at
    it) over its touchpoints only, not by windows over de-duplicated
    touchpoints. -#}
with asset_pageviews as (

    select * from {{ ref('int_asset_pageviews_matched') }}

),

-- inlined: each branch reads only the touchpoints and columns it needs
touchpoints as {{ not_materialized() }} (

    select * from {{ ref('int_touchpoints_unioned') }}

),

conversions as (

    select * from {{ ref('int_conversions_unioned') }}

),

campaigns as (

    select * from {{ ref('int_campaigns_prepared') }}

),

campaign_spend as (

    select * from {{ staged_rows('campaign_spend') }} as campaign_spend

),

as_of as (

    select * from {{ ref('int_as_of') }}

),

campaign_sessions as (

    select
        campaign_id,
        'SESSIONS' as metric_name,
        session_id as subject_id,
        cast(1 as decimal(18, 2)) as metric_value,
        session_started_at as occurred_at
    from asset_pageviews
    where is_campaign_activity
    group by campaign_id, session_id, session_started_at

),

created_contacts as (

    select
        conversion_id as contact_id,
        converted_at as created_at
    from conversions
    where conversion_kind = 'CONTACT_CREATE'

),

-- one row per touchpoint × campaign (null: none) of a contact at or before
-- its creation
touches_before_creation as (

    select
        created_contacts.contact_id,
        created_contacts.created_at,
        touchpoints.touchpoint_id,
        touchpoints.campaign_id,
        touchpoints.occurred_at
    from created_contacts
    inner join touchpoints
        on
            created_contacts.contact_id = touchpoints.contact_id
            and created_contacts.created_at >= touchpoints.occurred_at

),

creation_touch_bounds as (

    select
        contact_id,
        min(occurred_at) as first_occurred_at,
        max(occurred_at) as last_occurred_at
    from touches_before_creation
    group by contact_id

),

-- ties at the same instant: the smaller touchpoint_id is first, the larger last
creation_touch_ids as (

    select
        touches_before_creation.contact_id,
        min(
            case
                when
                    touches_before_creation.occurred_at
                    = creation_touch_bounds.first_occurred_at
                    then touches_before_creation.touchpoint_id
            end
        ) as first_touchpoint_id,
        max(
            case
                when
                    touches_before_creation.occurred_at
                    = creation_touch_bounds.last_occurred_at
                    then touches_before_creation.touchpoint_id
            end
        ) as last_touchpoint_id
    from touches_before_creation
    inner join creation_touch_bounds
        on touches_before_creation.contact_id = creation_touch_bounds.contact_id
    group by touches_before_creation.contact_id

),

new_contacts_first_touch as (

    -- the campaigns of the contact's first touchpoint (k campaigns: one row each)
    select
        touches_before_creation.campaign_id,
        'NEW_CONTACTS_FIRST_TOUCH' as metric_name,
        touches_before_creation.contact_id as subject_id,
        cast(1 as decimal(18, 2)) as metric_value,
        touches_before_creation.created_at as occurred_at
    from touches_before_creation
    inner join creation_touch_ids
        on
            touches_before_creation.contact_id = creation_touch_ids.contact_id
            and touches_before_creation.touchpoint_id = creation_touch_ids.first_touchpoint_id
    where touches_before_creation.campaign_id is not null

),

new_contacts_last_touch as (

    select
        touches_before_creation.campaign_id,
        'NEW_CONTACTS_LAST_TOUCH' as metric_name,
        touches_before_creation.contact_id as subject_id,
        cast(1 as decimal(18, 2)) as metric_value,
        touches_before_creation.created_at as occurred_at
    from touches_before_creation
    inner join creation_touch_ids
        on
            touches_before_creation.contact_id = creation_touch_ids.contact_id
            and touches_before_creation.touchpoint_id = creation_touch_ids.last_touchpoint_id
    where touches_before_creation.campaign_id is not null

),

influenced_contacts as (

    select
        campaign_id,
        'INFLUENCED_CONTACTS' as metric_name,
        contact_id as subject_id,
        cast(1 as decimal(18, 2)) as metric_value,
        min(occurred_at) as occurred_at
    from touchpoints
    where campaign_id is not null and touchpoint_type <> 'MEETING'
    group by campaign_id, contact_id

),

timed_events as (

    select * from campaign_sessions
    union all
    select * from new_contacts_first_touch
    union all
    select * from new_contacts_last_touch
    union all
    select * from influenced_contacts

),

dated_events as (

    select
        campaign_id,
        metric_name,
        subject_id,
        metric_value,
        {{ reporting_date('occurred_at') }} as activity_date
    from timed_events

),

spend_events as (

    -- spend is dated by its own `spend_date`; rows after as-of's day are
    -- budgeted, not spent yet
    select
        campaign_spend.campaign_id,
        'SPEND' as metric_name,
        {{ dbt.concat([
            'cast(campaign_spend.spend_date as ' ~ dbt.type_string() ~ ')',
            "'|'",
            'campaign_spend.channel',
        ]) }} as subject_id,
        cast(campaign_spend.amount as decimal(18, 2)) as metric_value,
        campaign_spend.spend_date as activity_date
    from campaign_spend
    inner join campaigns
        on campaign_spend.campaign_id = campaigns.campaign_id
    cross join as_of
    where campaign_spend.spend_date <= {{ reporting_date('as_of.as_of') }}

),

final as (

    select * from dated_events
    union all
    select * from spend_events

)

select * from final
