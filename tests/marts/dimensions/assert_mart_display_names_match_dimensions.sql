{#- Display names: every name a mart shows beside an entity id is the
    dimension's name for that id - equal, or both null (an id the dimension
    lacks, because the entity's own raw row was rejected, has a null name).
    Users and email templates are never rejected (a row naming an unknown one
    is), so their ids must also be found in the dimension.
    One pass over each mart, its dimensions joined on the key; returns the
    first failing name (or id) of each failing row.

    Left out to keep the test cheap at scale, where re-joining millions of
    enrollments to millions of contacts costs seconds: the view
    fct_sequence_enrollments (every read re-runs its joins) and the contact
    and company names of sequence_engaged_contacts. The unit tests of those
    two marts prove that their names join on the right ids.

    Each mart: [id column, dimension, its key, [(name column, dimension
    column)], id must be in the dimension]. -#}
{%- set campaign = ['campaign_id', 'dim_campaigns', 'campaign_id',
    [('campaign_name', 'campaign_name')], false] %}
{%- set sequence = ['sequence_id', 'dim_sequences', 'sequence_id',
    [('sequence_name', 'sequence_name')], false] %}
{%- set template = ['template_id', 'dim_email_templates', 'template_id',
    [('template_name', 'template_name')], true] %}
{%- set user = ['user_id', 'dim_users', 'user_id',
    [('user_name', 'user_name'), ('user_full_name', 'user_name')], true] %}
{%- set marts = {
    'campaign_overview': [campaign],
    'campaign_daily': [campaign],
    'campaign_monthly': [campaign],
    'campaign_traffic': [campaign],
    'campaign_asset_performance': [campaign],
    'campaign_attribution': [campaign],
    'campaign_revenue': [campaign],
    'campaign_attribution_comparison': [campaign],
    'sequence_performance': [
        sequence,
        ['owner_user_id', 'dim_users', 'user_id', [('owner_user_name', 'user_name')], true],
    ],
    'sequence_step_performance': [sequence, template],
    'sequence_email_performance': [sequence, template],
    'sequence_enrollment_by_step': [sequence],
    'sequence_engaged_contacts': [sequence],
    'sender_score_by_user': [user],
    'sender_score_by_user_sequence': [user, sequence],
    'sequence_reply_times': [sequence],
    'sequence_step_reply_times': [sequence],
    'sequence_reply_rate_by_send_time': [sequence],
    'sequence_enrollment_cohorts': [sequence],
    'sequence_bot_activity': [sequence],
} %}

with

{% for mart, entities in marts.items() %}
{{ mart }}_problems as (

    select
        '{{ mart }}' as mart_name,
        case
            {%- for id_column, dimension, key, names, must_exist in entities %}
            {%- set dim_alias = 'dim_' ~ loop.index %}
            {%- if must_exist %}
            when
                mart_rows.{{ id_column }} is not null and {{ dim_alias }}.{{ key }} is null
                then '{{ id_column }}'
            {%- endif %}
            {%- for name_column, dim_column in names %}
            when not (
                coalesce(mart_rows.{{ name_column }} = {{ dim_alias }}.{{ dim_column }}, false)
                or (
                    mart_rows.{{ name_column }} is null
                    and {{ dim_alias }}.{{ dim_column }} is null
                )
            ) then '{{ name_column }}'
            {%- endfor %}
            {%- endfor %}
        end as failing_column
    from {{ ref(mart) }} as mart_rows
    {% for id_column, dimension, key, names, must_exist in entities -%}
    left join {{ ref(dimension) }} as dim_{{ loop.index }}
        on mart_rows.{{ id_column }} = dim_{{ loop.index }}.{{ key }}
    {% endfor %}

),
{% endfor %}

final as (

    {%- for mart in marts %}
    select
        mart_name,
        failing_column,
        count(*) as failing_rows
    from {{ mart }}_problems
    where failing_column is not null
    group by mart_name, failing_column
    {{- "\n    union all" if not loop.last }}
    {%- endfor %}

)

select * from final
