"""What the dashboard calls each entity: a name a person recognises, never a bare id.

Names come from the marts: the dimension tables (`dim_contacts`, `dim_companies`,
`dim_users`, `dim_email_templates`) and the sequence and campaign marts. A name that two
entities share gets what tells them apart appended - a contact's email (else its
company), a user's email, a company's domain (else its industry), a template's subject -
and where that is shared too, the id, so that every label on the page stands for one
entity. Uniqueness is judged over every entity of the kind, as if all were listed, so a
label does not change with what a page shows; only the labels asked for leave DuckDB.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from gtm_analytics.report_format import DASH

Query = Callable[[str, Sequence[Any]], list[dict[str, Any]]]
"""Runs SQL with parameters and returns rows as dicts (the report's warehouse does)."""


@dataclass(frozen=True)
class Entity:
    """One kind of entity: where its names are, and what tells two of a name apart."""

    noun: str
    source: str
    """SQL giving every entity of the kind: `id` (text), `name`, and the `details`."""
    details: tuple[str, ...] = ()
    """Columns of `source` that tell two entities of one name apart, tried in order (null
    where an entity has none); the first is what a table shows below the name."""


SEQUENCES = Entity(
    "sequence",
    """
    select sequence_id as id,
        -- a sequence whose own raw row was rejected has no name: its id is all there is
        coalesce(nullif(trim(sequence_name), ''), sequence_id)
            || case when is_deleted then ' (deleted)' else '' end as name
    from marts.sequence_performance
    """,
)
CAMPAIGNS = Entity(
    "campaign",
    """
    select campaign_id as id, coalesce(nullif(trim(campaign_name), ''), campaign_id) as name
    from marts.campaign_overview
    """,
)
CONTACTS = Entity(
    "contact",
    """
    select contact_id as id, contact_name as name, contact_email as email, company_name
    from marts.dim_contacts
    """,
    ("email", "company_name"),
)
COMPANIES = Entity(
    "company",
    "select company_id as id, company_name as name, domain, industry from marts.dim_companies",
    ("domain", "industry"),
)
USERS = Entity(
    "user",
    "select user_id as id, user_name as name, user_email as email from marts.dim_users",
    ("email",),
)
TEMPLATES = Entity(
    "template",
    """
    select template_id as id, template_name as name, subject
    from marts.dim_email_templates
    """,
    ("subject",),
)

DIMENSIONS: tuple[str, ...] = (
    "dim_contacts",
    "dim_companies",
    "dim_users",
    "dim_email_templates",
)
"""The dimension marts these labels read."""


@dataclass(frozen=True)
class Label:
    """An entity's label (`text`, unique among its kind), its name and first detail."""

    text: str
    name: str
    detail: str | None
    by_id: bool = False
    """Whether only the id tells it apart (`text` then ends in it)."""


def labels(query: Query, entity: Entity, ids: Iterable[Any]) -> dict[str, Label]:
    """Labels of the entities `ids` of one kind, by id; ids the marts do not name are absent.

    The label is the name where no other entity of the kind has it; else the name and the
    first detail that tells it apart from the others of that name not told apart by an
    earlier detail, "Ann Lee (ann@example.com)"; else the name and the id. A blank name
    counts as missing: the first detail stands in for it, else the id.
    """
    wanted = sorted({str(item) for item in ids if item is not None})
    if not wanted:
        return {}
    details = [f"nullif(trim(entities.{column}), '')" for column in entity.details]
    name = (
        "coalesce(nullif(trim(entities.name), ''), "
        + "".join(f"{detail}, " for detail in details[:1])
        + "cast(entities.id as varchar))"
    )
    columns = "".join(f", {detail} as detail_{i}" for i, detail in enumerate(details))
    # Each detail in turn labels the entities of a shared name that no earlier one told
    # apart, where no other such entity of that name has the same detail.
    levels = "".join(
        f"""
        , level_{i + 1} as (
            select * replace (coalesce(label, case
                when detail_{i} is not null and detail_{i} <> name
                    and count(*) filter (where label is null)
                        over (partition by name, detail_{i}) = 1
                    then name || ' (' || detail_{i} || ')'
            end) as label)
            from level_{i}
        )"""
        for i in range(len(details))
    )
    # The source is read twice rather than shared: a shared result would hold every entity
    # of the kind (2.7 million contacts at scale 10), where each read keeps only a few.
    rows = query(
        f"""
        with wanted as (
            select {name} as name
            from ({entity.source}) as entities
            where entities.id in (select unnest(?::varchar[]))
        ),
        peers as (
            -- the entities sharing a wanted one's name: all that uniqueness needs
            select cast(entities.id as varchar) as id, {name} as name{columns}
            from ({entity.source}) as entities
            where {name} in (select wanted.name from wanted)
        ),
        level_0 as (
            select *,
                case when count(*) over (partition by name) = 1 then name end as label
            from peers
        ){levels}
        select id, name, {"detail_0" if details else "cast(null as varchar)"} as detail,
            coalesce(label, name || ' (' || id || ')') as label,
            label is null as by_id
        from level_{len(details)}
        where id in (select unnest(?::varchar[]))
        """,
        [wanted, wanted],
    )
    return {
        row["id"]: Label(row["label"], row["name"], row["detail"], row["by_id"]) for row in rows
    }


def label_text(found: dict[str, Label], entity_id: Any, fallback: Any = None) -> str:
    """The label of `entity_id`, else `fallback`, else the id (the only name the marts have),
    else a dash."""
    label = found.get(str(entity_id)) if entity_id is not None else None
    if label is not None:
        return label.text
    if fallback not in (None, ""):
        return str(fallback)
    return DASH if entity_id is None else str(entity_id)
