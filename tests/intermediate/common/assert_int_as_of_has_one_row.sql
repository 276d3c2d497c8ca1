-- int_as_of is cross-joined everywhere: it must hold exactly one row, set or derived.
with as_of as (

    select * from {{ ref('int_as_of') }}

)

select count(*) as row_count
from as_of
having count(*) <> 1
