{#- Warns (never fails the build) when a raw table holds less than half the
    rows it held in the previous published build: most often a partial export
    or a broken extract rather than a real drop. One row per such table, with
    the note `gtm build` prints. History: audit_raw_table_count_history. -#}
{{ config(severity='warn', store_failures=true) }}

with history as (

    select * from {{ ref('audit_raw_table_count_history') }}

),

builds as (

    select max(build_number) as current_build from history

),

current_counts as (

    select
        history.table_name,
        history.raw_rows
    from history
    inner join builds
        on history.build_number = builds.current_build

),

previous_counts as (

    select
        history.table_name,
        history.raw_rows
    from history
    inner join builds
        on history.build_number = builds.current_build - 1

),

final as (

    select
        previous_counts.table_name,
        previous_counts.raw_rows as previous_rows,
        coalesce(current_counts.raw_rows, 0) as current_rows,
        {{ dbt.concat([
            "'raw table '",
            "previous_counts.table_name",
            "': '",
            "cast(coalesce(current_counts.raw_rows, 0) as " ~ dbt.type_string() ~ ")",
            "' rows, down from '",
            "cast(previous_counts.raw_rows as " ~ dbt.type_string() ~ ")",
            "' in the previous build (rule ''row count must not drop by more than half'')'",
        ]) }} as note
    from previous_counts
    left join current_counts
        on previous_counts.table_name = current_counts.table_name
    where coalesce(current_counts.raw_rows, 0) * 2 < previous_counts.raw_rows

)

select * from final
