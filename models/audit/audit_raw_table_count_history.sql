{#- One row per published build × raw table: the raw row counts of the last 50
    builds, this one included, for the volume check
    (tests/audit/assert_raw_table_volume_not_halved). `gtm build` carries the
    published warehouse's history into the work file (source gtm_previous);
    without it (a first build, a plain `dbt build`) the history starts here.
    Only published builds are in it: a failed build is never published. -#}
{%- set previous_history = source('gtm_previous', 'raw_table_count_history') -%}
{%- set previous_exists = false -%}
{%- if execute -%}
    {%- set previous_exists = adapter.get_relation(
        database=previous_history.database,
        schema=previous_history.schema,
        identifier=previous_history.identifier
    ) is not none -%}
{%- endif %}

with current_counts as (

    select * from {{ ref('audit_raw_table_counts') }}

),

previous_builds as (

    {%- if previous_exists %}
    select
        cast(build_number as {{ dbt.type_int() }}) as build_number,
        cast(table_name as {{ dbt.type_string() }}) as table_name,
        cast(raw_rows as {{ dbt.type_bigint() }}) as raw_rows
    from {{ previous_history }}
    {%- else %}
    select
        cast(null as {{ dbt.type_int() }}) as build_number,
        cast(null as {{ dbt.type_string() }}) as table_name,
        cast(null as {{ dbt.type_bigint() }}) as raw_rows
    where 1 = 0
    {%- endif %}

),

this_build as (

    select
        coalesce((select max(previous_builds.build_number) from previous_builds), 0) + 1
            as build_number,
        table_name,
        cast(raw_rows as {{ dbt.type_bigint() }}) as raw_rows
    from current_counts

),

final as (

    select
        build_number,
        table_name,
        raw_rows
    from previous_builds
    where build_number > (select max(this_build.build_number) from this_build) - 50

    union all

    select
        build_number,
        table_name,
        raw_rows
    from this_build

)

select * from final
