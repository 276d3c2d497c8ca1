{#- The primary keys of the two crediting views, without an aggregate over
    their keys: each is its table (int_sequence_emails_engaged, one row per
    email_id; int_sequence_steps_executed, one row per enrollment_id x
    step_id; both keys tested there) left-joined to the reply and meeting
    credits per enrollment x step (int_sequence_step_credits, primary key
    enrollment_id x step_id, tested there). A
    left join keeps every row at least once, so equal row counts mean each
    row was kept exactly once: the view's key is its table's, unique and not
    null. Returns the view whose count differs. -#}
with email_view_rows as (

    select count(*) as view_rows from {{ ref('int_sequence_emails_credited') }}

),

email_table_rows as (

    select count(*) as table_rows from {{ ref('int_sequence_emails_engaged') }}

),

step_view_rows as (

    select count(*) as view_rows from {{ ref('int_sequence_steps_credited') }}

),

step_table_rows as (

    select count(*) as table_rows from {{ ref('int_sequence_steps_executed') }}

),

counts as (

    select
        'int_sequence_emails_credited' as model_name,
        email_view_rows.view_rows,
        email_table_rows.table_rows
    from email_view_rows
    cross join email_table_rows

    union all

    select
        'int_sequence_steps_credited' as model_name,
        step_view_rows.view_rows,
        step_table_rows.table_rows
    from step_view_rows
    cross join step_table_rows

),

final as (

    select * from counts
    where view_rows != table_rows

)

select * from final
