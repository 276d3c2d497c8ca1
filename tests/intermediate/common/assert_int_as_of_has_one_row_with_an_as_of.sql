-- int_as_of is cross-joined everywhere: it must hold exactly one row, set or
-- derived, and that row an as-of instant (one node for both rules).
with as_of as (

    select * from {{ ref('int_as_of') }}

)

select
    count(*) as row_count,
    count(as_of) as rows_with_as_of
from as_of
having count(*) <> 1 or count(as_of) <> count(*)
