{#- Per raw table: rows read, duplicates removed by de-duplication, rows staged,
    late rows an incremental build left out, and orphan rows kept out of the
    marts. `gtm build` prints this summary.

    Repeated keys are found by one hash aggregate per landing view (the extra
    copies of each key are the duplicates removed); the raw keys are the rows
    less those copies. An incremental staging model (macro incremental_new_rows)
    may lack the keys of late rows older than its lookback window: raw keys
    less staged rows counts them, so that they are reported, not mistaken for
    duplicates. A staging table that is rebuilt in full holds exactly one row
    per raw key, so its raw table has repeated keys only where it has more rows
    than the staging table: the aggregate runs only then (row counts cost
    nothing: Parquet files and tables keep them), its duplicates are raw rows
    less staged rows, and only the examples need the aggregate: it first
    groups the raw rows up to the 10,000th smallest staged key (the raw keys
    are the staged keys), whose repeated keys, if there are three, are the
    three smallest; only with fewer does it group the other raw rows too
    (at scale 10 the first search finds them, and groups a thousandth of the
    rows).

    For `gtm build`'s notes each table also names its primary key and a few
    keys that repeated, and, per foreign-key column that points nowhere, the
    rule broken, the number of rows and a few of their keys (from
    int_rejected_rows). -#}
{%- set examples = ['example_1', 'example_2', 'example_3'] -%}
{#- how many of the smallest staged keys bound the first search for repeated
    keys (see above) -#}
{%- set first_keys = 10000 -%}
{#- note_1 ... note_N: N = the most foreign keys one raw table has -#}
{%- set foreign_keys_per_table = {} -%}
{%- for child_table, child_column, parent_table, parent_key in raw_foreign_keys() -%}
{%- set known = foreign_keys_per_table.get(child_table, 0) -%}
{%- do foreign_keys_per_table.update({child_table: known + 1}) -%}
{%- endfor -%}
{%- set column_notes = [] -%}
{%- for position in range(foreign_keys_per_table.values() | max) -%}
{%- do column_notes.append('note_' ~ (position + 1)) -%}
{%- endfor -%}
with
{%- for table_name, key_columns in raw_primary_keys().items() if staged_in_full(table_name) %}
{%- set raw = ref('base_hubspot__' ~ table_name) %}
{%- set staged = ref('stg_hubspot__' ~ table_name) %}

{{ table_name }}__bounds as (

    select
        (select count(*) from {{ raw }}) > (select count(*) from {{ staged }}) as has_repeats,
        (
            select max(row_key)
            from (
                select {{ row_key(key_columns) }} as row_key
                from {{ staged }}
                order by row_key
                limit {{ first_keys }}
            ) as first_keys
        ) as last_first_key

),

{#- the two searches: the raw rows up to the last of the first staged keys,
    then, only if they hold fewer repeated keys than the examples, the rest #}
{%- set raw_key = row_key(key_columns) %}
{%- set searches = {
    'first': raw_key ~ ' <= bounds.last_first_key',
    'other': raw_key ~ ' > bounds.last_first_key and (select count(*) from '
        ~ table_name ~ '__first_repeats) < ' ~ examples | length,
} %}
{%- for search, condition in searches.items() %}

{{ table_name }}__{{ search }}_repeats as (

    select
        {{ raw_key }} as row_key,
        count(*) - 1 as extra_copies
    from {{ raw }}
    cross join {{ table_name }}__bounds as bounds
    where
        bounds.has_repeats
        and {{ condition }}
    group by {{ key_columns | join(', ') }}
    having count(*) > 1

),
{%- endfor %}
{%- endfor %}

duplicate_keys as (
    {%- for table_name, key_columns in raw_primary_keys().items() %}
    {%- if staged_in_full(table_name) %}

    select '{{ table_name }}' as table_name, row_key, extra_copies
    from {{ table_name }}__first_repeats
    union all
    select '{{ table_name }}' as table_name, row_key, extra_copies
    from {{ table_name }}__other_repeats
    {%- else %}

    select
        '{{ table_name }}' as table_name,
        {{ row_key(key_columns) }} as row_key,
        count(*) - 1 as extra_copies
    from {{ ref('base_hubspot__' ~ table_name) }}
    group by {{ key_columns | join(', ') }}
    having count(*) > 1
    {%- endif %}
    {{ "union all" if not loop.last }}
    {%- endfor %}

),

duplicate_keys_numbered as (

    select
        table_name,
        row_key,
        extra_copies,
        row_number() over (partition by table_name order by row_key) as example_number
    from duplicate_keys

),

duplicates_by_table as (

    -- per table with repeated keys: the copies removed and the first keys
    select
        {%- for example in examples %}
        max(case when example_number = {{ loop.index }} then row_key end) as {{ example }},
        {%- endfor %}
        sum(extra_copies) as duplicates_removed,
        table_name
    from duplicate_keys_numbered
    group by table_name

),

duplicate_notes as (

    select
        table_name,
        duplicates_removed,
        {{ join_present(examples, "', '") }} as duplicate_key_examples
    from duplicates_by_table

),

rejected_totals as (

    select
        table_name,
        count(distinct row_key) as rejected_rows
    from {{ ref('int_rejected_rows') }}
    group by table_name

),

rejected_numbered as (

    select
        table_name,
        column_name,
        row_key,
        count(*) over (partition by table_name, column_name) as failing_rows,
        row_number() over (
            partition by table_name, column_name order by row_key
        ) as example_number
    from {{ ref('int_rejected_rows') }}

),

rejected_examples as (

    select
        {%- for example in examples %}
        max(case when example_number = {{ loop.index }} then row_key end) as {{ example }},
        {%- endfor %}
        table_name,
        column_name,
        failing_rows
    from rejected_numbered
    where example_number <= {{ examples | length }}
    group by table_name, column_name, failing_rows

),

rejected_rules as (

    select
        table_name,
        column_name,
        failing_rows,
        {%- for example in examples %}
        {{ example }},
        {%- endfor %}
        case
            {%- for child_table, child_column, parent_table, parent_key in raw_foreign_keys() %}
            when table_name = '{{ child_table }}' and column_name = '{{ child_column }}'
                then {{ loop.index }}
            {%- endfor %}
        end as column_position,
        case
            {%- for child_table, child_column, parent_table, parent_key in raw_foreign_keys() %}
            when table_name = '{{ child_table }}' and column_name = '{{ child_column }}'
                then 'must name an existing {{ parent_table }}.{{ parent_key }}'
            {%- endfor %}
        end as rule
    from rejected_examples

),

rejected_column_notes as (

    select
        table_name,
        row_number() over (partition by table_name order by column_position) as column_number,
        {{ dbt.concat([
            "'column '",
            'column_name',
            "': '",
            'cast(failing_rows as ' ~ dbt.type_string() ~ ')',
            "case when failing_rows = 1 then ' row breaks' else ' rows break' end",
            "' the rule '''",
            'rule',
            "''' (e.g. '",
            join_present(examples, "', '"),
            "')'",
        ]) }} as note
    from rejected_rules

),

rejected_notes as (

    select
        {%- for note in column_notes %}
        max(case when column_number = {{ loop.index }} then note end) as {{ note }},
        {%- endfor %}
        table_name
    from rejected_column_notes
    group by table_name

),

rejected_by_table as (

    select
        table_name,
        {{ join_present(column_notes, "'; '") }} as rejected_by_column
    from rejected_notes

),

-- one row per raw table: its rows and staged rows (row counts, no scan of
-- the values) and whether its staging table was rebuilt in full
row_counts as (
    {%- for table_name, key_columns in raw_primary_keys().items() %}

    select
        '{{ table_name }}' as table_name,
        '{{ key_columns | join(", ") }}' as primary_key_columns,
        {{ 'true' if staged_in_full(table_name) else 'false' }} as is_staged_in_full,
        (select count(*) from {{ ref('base_hubspot__' ~ table_name) }}) as raw_rows,
        (select count(*) from {{ ref('stg_hubspot__' ~ table_name) }}) as staged_rows
    {{ "union all" if not loop.last }}
    {%- endfor %}

),

-- the per-table figures joined once, not looked up by one subquery per table
-- and figure: an engine that does not keep a CTE's result (Spark) computed
-- every table's duplicate and rejected keys again for each lookup
counts as (

    select
        row_counts.table_name,
        row_counts.primary_key_columns,
        duplicate_notes.duplicate_key_examples,
        rejected_by_table.rejected_by_column,
        row_counts.raw_rows,
        {#- null where the staging table was rebuilt in full (counts_complete
            then takes raw rows less staged rows), of the type of the sum -#}
        case
            when not row_counts.is_staged_in_full
                then coalesce(duplicate_notes.duplicates_removed, 0)
        end as duplicates_removed,
        row_counts.staged_rows,
        coalesce(rejected_totals.rejected_rows, 0) as rejected_rows
    from row_counts
    left join duplicate_notes
        on row_counts.table_name = duplicate_notes.table_name
    left join rejected_by_table
        on row_counts.table_name = rejected_by_table.table_name
    left join rejected_totals
        on row_counts.table_name = rejected_totals.table_name

),

counts_complete as (

    select
        table_name,
        raw_rows,
        coalesce(duplicates_removed, raw_rows - staged_rows) as duplicates_removed,
        staged_rows,
        rejected_rows,
        primary_key_columns,
        duplicate_key_examples,
        rejected_by_column
    from counts

),

final as (

    select
        table_name,
        raw_rows,
        duplicates_removed,
        staged_rows,
        raw_rows - duplicates_removed - staged_rows as late_rows_not_loaded,
        rejected_rows,
        staged_rows - rejected_rows as usable_rows,
        primary_key_columns,
        duplicate_key_examples,
        rejected_by_column
    from counts_complete

)

select * from final
