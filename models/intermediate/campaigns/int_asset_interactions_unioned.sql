{#- One row per interaction with a marketing asset at or before as-of, bot
    events left out (`is_bot` null counts as human): form submissions, marketing
    email events and clicks on ads, social posts and calls-to-action. A click's
    contact is the one it names, else the identified contact of its visitor;
    anonymous clicks stay, with a null contact. Not yet tied to campaigns. -#}
with form_submissions as (

    select * from {{ staged_rows('form_submissions') }} as form_submissions

),

marketing_email_events as (

    select * from {{ staged_rows('marketing_email_events') }} as marketing_email_events

),

asset_clicks as (

    select * from {{ staged_rows('asset_clicks') }} as asset_clicks

),

visitors as (

    select * from {{ ref('int_visitors_identified') }}

),

as_of as (

    select * from {{ ref('int_as_of') }}

),

submissions as (

    select
        'FORM_SUBMISSION' as interaction_type,
        submission_id as interaction_id,
        'FORM' as asset_type,
        form_id as asset_id,
        contact_id,
        submitted_at as occurred_at
    from form_submissions

),

email_events as (

    select
        {{ dbt.concat(["'MARKETING_EMAIL_'", 'event_type']) }} as interaction_type,
        event_id as interaction_id,
        'MARKETING_EMAIL' as asset_type,
        marketing_email_id as asset_id,
        contact_id,
        occurred_at
    from marketing_email_events
    where not coalesce(is_bot, false)

),

clicks as (

    select
        case asset_clicks.asset_type
            when 'AD' then 'AD_CLICK'
            when 'SOCIAL_POST' then 'SOCIAL_CLICK'
            when 'CTA' then 'CTA_CLICK'
        end as interaction_type,
        asset_clicks.click_id as interaction_id,
        asset_clicks.asset_type,
        asset_clicks.asset_id,
        coalesce(asset_clicks.contact_id, visitors.contact_id) as contact_id,
        asset_clicks.clicked_at as occurred_at
    from asset_clicks
    left join visitors
        on asset_clicks.visitor_id = visitors.visitor_id

),

unioned as (

    select * from submissions
    union all
    select * from email_events
    union all
    select * from clicks

),

final as (

    select
        unioned.interaction_type,
        unioned.interaction_id,
        unioned.asset_type,
        unioned.asset_id,
        unioned.contact_id,
        unioned.occurred_at
    from unioned
    cross join as_of
    where unioned.occurred_at <= as_of.as_of

)

select * from final
