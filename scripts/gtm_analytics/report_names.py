"""What the dashboard calls each entity: a name a person recognises, never a bare id.

Names come from the marts: the dimension tables (`dim_contacts`, `dim_companies`,
`dim_users`, `dim_email_templates`) and the sequence and campaign marts. A name that
two entities share gets the entity's detail appended (a contact's or user's email, a
company's domain, a template's subject), and where that is shared too, its id, so that
every label on the page stands for one entity. Uniqueness is judged over every entity of
the kind, as if all were listed, so a label does not change with what a page shows; only
the labels asked for (and the entities sharing their names) leave DuckDB.
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
    """SQL giving `id` (text), `name` and `detail` (null where none) of every entity of the
    kind."""


SEQUENCES = Entity(
    "sequence",
    """
    select sequence_id as id,
        -- a sequence whose own raw row was rejected has no name: its id is all there is
        coalesce(nullif(trim(sequence_name), ''), sequence_id)
            || case when is_deleted then ' (deleted)' else '' end as name,
        cast(null as varchar) as detail
    from marts.sequence_performance
    """,
)
CAMPAIGNS = Entity(
    "campaign",
    """
    select campaign_id as id, coalesce(nullif(trim(campaign_name), ''), campaign_id) as name,
        cast(null as varchar) as detail
    from marts.campaign_overview
    """,
)
CONTACTS = Entity(
    "contact",
    """
    select contact_id as id, contact_name as name, contact_email as detail
    from marts.dim_contacts
    """,
)
COMPANIES = Entity(
    "company",
    "select company_id as id, company_name as name, domain as detail from marts.dim_companies",
)
USERS = Entity(
    "user",
    "select user_id as id, user_name as name, user_email as detail from marts.dim_users",
)
TEMPLATES = Entity(
    "template",
    """
    select template_id as id, template_name as name, subject as detail
    from marts.dim_email_templates
    """,
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
    """An entity's label (`text`, unique among its kind), its name and its detail."""

    text: str
    name: str
    detail: str | None

    @property
    def shows_detail(self) -> bool:
        """Whether `text` already carries the detail (the name alone was shared)."""
        return self.detail is not None and self.text == f"{self.name} ({self.detail})"


def labels(query: Query, entity: Entity, ids: Iterable[Any]) -> dict[str, Label]:
    """Labels of the entities `ids` of one kind, by id; ids the marts do not name are absent.

    The label is the name where no other entity of the kind has it; else the name and the
    detail, "Ann Lee (ann@example.com)", where that pair is unique; else the name and the
    id. A blank name counts as missing: the detail stands in for it, else the id.
    """
    wanted = sorted({str(item) for item in ids if item is not None})
    if not wanted:
        return {}
    name = (
        "coalesce(nullif(trim(entities.name), ''), nullif(trim(entities.detail), ''), "
        "cast(entities.id as varchar))"
    )
    detail = "nullif(trim(entities.detail), '')"
    # The source is read twice rather than shared: a shared result would hold every entity
    # of the kind (2.7 million contacts at scale 10), where each read keeps only a few.
    rows = query(
        f"""
        with wanted as (
            select cast(entities.id as varchar) as id, {name} as name, {detail} as detail
            from ({entity.source}) as entities
            where entities.id in (select unnest(?::varchar[]))
        ),
        peers as (
            -- the entities sharing a wanted one's name: all that uniqueness needs
            select {name} as name, {detail} as detail
            from ({entity.source}) as entities
            where {name} in (select wanted.name from wanted)
        ),
        same_name as (
            select name, count(*) as entities from peers group by name
        ),
        same_detail as (
            select name, detail, count(*) as entities from peers group by name, detail
        )
        select wanted.id, wanted.name, wanted.detail,
            case
                when same_name.entities = 1 then wanted.name
                when wanted.detail is not null and wanted.detail <> wanted.name
                    and same_detail.entities = 1
                    then wanted.name || ' (' || wanted.detail || ')'
                else wanted.name || ' (' || wanted.id || ')'
            end as label
        from wanted
        inner join same_name on same_name.name = wanted.name
        left join same_detail
            on same_detail.name = wanted.name and same_detail.detail = wanted.detail
        """,
        [wanted],
    )
    return {row["id"]: Label(row["label"], row["name"], row["detail"]) for row in rows}


def label_text(found: dict[str, Label], entity_id: Any, fallback: Any = None) -> str:
    """The label of `entity_id`, else `fallback`, else the id (the only name the marts have),
    else a dash."""
    label = found.get(str(entity_id)) if entity_id is not None else None
    if label is not None:
        return label.text
    if fallback not in (None, ""):
        return str(fallback)
    return DASH if entity_id is None else str(entity_id)
