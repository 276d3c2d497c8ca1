{#- One row per sequence that reaches the marts, with the attributes every
    sequence mart shows. Deleted sequences stay (is_deleted), as the spec
    requires.

    A sequence rejected by the raw checks (e.g. an unknown owner) is kept out,
    but the usable enrollments and steps that name it are not rejected in turn
    (campaigns.md, "Rejected rows"): the sequence keeps a row here with its key
    only - name, folder, owner and created_at null, is_deleted false (as the
    enrollment fact reads an unknown sequence) - so that every per-sequence
    mart still adds up to fct_sequence_enrollments (docs/sequences.md,
    "Rejected rows"). -#}
with sequences as (

    select * from {{ staged_rows('sequences') }} as sequences

),

users as (

    select * from {{ staged_rows('users') }} as users

),

enrollments as (

    select * from {{ ref('int_sequence_enrollments_windowed') }}

),

steps as (

    select * from {{ staged_rows('sequence_steps') }} as steps

),

named_sequences as (

    select enrollments.sequence_id from enrollments
    union all
    select steps.sequence_id from steps

),

known_only_by_key as (

    select named_sequences.sequence_id
    from named_sequences
    left join sequences
        on named_sequences.sequence_id = sequences.sequence_id
    where sequences.sequence_id is null
    group by named_sequences.sequence_id

),

usable as (

    select
        sequences.sequence_id,
        sequences.owner_user_id,
        sequences.name as sequence_name,
        sequences.folder_name,
        users.full_name as owner_full_name,
        sequences.is_deleted,
        sequences.created_at
    from sequences
    left join users
        on sequences.owner_user_id = users.user_id

),

key_only as (

    select
        sequence_id,
        cast(null as {{ dbt.type_string() }}) as owner_user_id,
        cast(null as {{ dbt.type_string() }}) as sequence_name,
        cast(null as {{ dbt.type_string() }}) as folder_name,
        cast(null as {{ dbt.type_string() }}) as owner_full_name,
        false as is_deleted,
        cast(null as timestamp) as created_at
    from known_only_by_key

),

final as (

    select * from usable
    union all
    select * from key_only

)

select * from final
