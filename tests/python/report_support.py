"""Helpers shared by the dashboard tests (test_report_*.py): the page parsed into a small
DOM, its visible text, and the data every chart carries. No browser needed."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import duckdb

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
HIDDEN_TEXT = {"script", "style", "template"}
"""Elements whose text is never shown (code, styles)."""


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node] = field(default_factory=list)
    text: list[str] = field(default_factory=list)

    def all(self, tag: str, **attrs: str) -> list[Node]:
        """Descendants with this tag whose attributes include `attrs` (`_` for `-`)."""
        wanted = {key.replace("_", "-"): value for key, value in attrs.items()}
        found = []
        for child in self.children:
            if child.tag == tag and all(child.attrs.get(k) == v for k, v in wanted.items()):
                found.append(child)
            found.extend(child.all(tag, **attrs))
        return found

    def one(self, tag: str, **attrs: str) -> Node:
        (found,) = self.all(tag, **attrs)
        return found

    def content(self) -> str:
        return "".join(self.text) + "".join(child.content() for child in self.children)

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {key: value or "" for key, value in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].text.append(data)


def parse(page: str) -> Node:
    parser = _Parser()
    parser.feed(page)
    parser.close()
    return parser.root


def visible_text(node: Node) -> str:
    """Every text the page can show, hidden panels included (a selector shows them); the
    text of scripts and styles and every attribute value left out."""
    if node.tag in HIDDEN_TEXT:
        return ""
    return " ".join(["".join(node.text), *(visible_text(child) for child in node.children)])


def charts(page: str) -> dict[str, dict]:
    """Each chart's Vega-Lite spec, by chart id."""
    found = re.search(r'<script type="application/json" id="gtm-charts">(.*?)</script>', page, re.S)
    assert found
    return {chart_id: chart["spec"] for chart_id, chart in json.loads(found.group(1)).items()}


def chart_rows(spec: dict) -> list[dict]:
    """Every data row a chart carries (named data sets and inline values)."""
    rows = [row for values in spec.get("datasets", {}).values() for row in values]

    def inline(node: object) -> None:
        if isinstance(node, dict):
            data = node.get("data")
            if isinstance(data, dict) and isinstance(data.get("values"), list):
                rows.extend(data["values"])
            for value in node.values():
                inline(value)
        elif isinstance(node, list):
            for value in node:
                inline(value)

    inline({key: value for key, value in spec.items() if key != "datasets"})
    return rows


# --------------------------------------------------------------------------- data-driven marts

DATA_DRIVEN_MARTS = ("attribution_journeys", "attribution_paths", "attribution_data_driven")
"""The marts of data-driven attribution, which the dashboard shows when a warehouse has them."""

_STAND_INS = {
    # journeys: the touchpoints of each conversion's pool (converting), and for deals and
    # revenue each contact of no such conversion with its touchpoints (not converting)
    "attribution_journeys": """
        with pools as (
            select distinct conversion_kind, 'CONVERSION:' || conversion_id as journey_id,
                true as is_converting, touchpoint_id, channel, occurred_at, converted_at,
                conversion_value as value,
                case when conversion_kind = 'CONTACT_CREATE' then contact_id end as contact_id
            from marts.attribution_credits
            where attribution_model = 'LINEAR'
        ),
        idle as (
            select k.kind as conversion_kind, 'CONTACT:' || t.contact_id as journey_id,
                false as is_converting, t.touchpoint_id, t.channel, t.occurred_at,
                null::timestamp as converted_at, null::decimal(18, 2) as value, t.contact_id
            from (
                select distinct touchpoint_id, contact_id, channel, occurred_at
                from marts.attribution_touchpoints
            ) as t
            cross join (values ('DEAL_CREATE'), ('REVENUE')) as k (kind)
            where t.contact_id not in (
                select c.contact_id from marts.attribution_credits as c
                where c.conversion_kind = k.kind
            )
        ),
        marked as (
            select *, lag(channel) over (
                partition by conversion_kind, journey_id order by occurred_at, touchpoint_id
            ) as previous
            from (select * from pools union all select * from idle)
        )
        select conversion_kind, journey_id, any_value(contact_id) as contact_id,
            bool_or(is_converting) as is_converting,
            string_agg(channel, ' > ' order by occurred_at, touchpoint_id)
                filter (where previous is distinct from channel) as path,
            count(distinct touchpoint_id) as touchpoints, count(distinct channel) as channels,
            min(occurred_at) as first_touch_at, max(converted_at) as converted_at,
            epoch(max(converted_at) - min(occurred_at)) / 86400.0 as days_to_conversion,
            max(value) as value
        from marked
        group by conversion_kind, journey_id
    """,
    "attribution_paths": """
        select conversion_kind, path,
            count(*) filter (where is_converting) as conversions,
            count(*) filter (where not is_converting) as non_conversions,
            count(*) filter (where is_converting) / count(*) as conversion_rate,
            coalesce(sum(value), 0) as conversion_value,
            avg(touchpoints) filter (where is_converting) as avg_touchpoints,
            quantile_cont(days_to_conversion, 0.5) filter (where is_converting)
                as median_days_to_conversion
        from marts.attribution_journeys
        group by conversion_kind, path
    """,
    # made-up shares (the report shows whatever the mart holds): per channel, weights from
    # the journeys that pass through it, normalised per kind and model
    "attribution_data_driven": """
        with per_journey as (
            select conversion_kind, is_converting,
                unnest(list_distinct(string_split(path, ' > '))) as channel
            from marts.attribution_journeys
        ),
        totals as (
            select conversion_kind,
                count(*) filter (where is_converting) as converting_journeys,
                count(*) filter (where not is_converting) as non_converting_journeys,
                sum(value) as total_value
            from marts.attribution_journeys
            group by conversion_kind
            having count(*) filter (where is_converting) > 0
        ),
        weights as (
            select conversion_kind, channel, m.model,
                case m.model
                    when 'MARKOV' then count(*) filter (where is_converting) + 1
                    else count(*) filter (where is_converting) ^ 2 + count(*)
                end as weight
            from per_journey
            cross join (values ('MARKOV'), ('SHAPLEY')) as m (model)
            group by conversion_kind, channel, m.model
        ),
        shares as (
            select *, weight / sum(weight) over (partition by conversion_kind, model) as share
            from weights
        )
        select s.conversion_kind, s.model as attribution_model, s.channel,
            t.converting_journeys, t.non_converting_journeys,
            case when s.model = 'MARKOV' then 0.9 * s.share end as removal_effect,
            s.share, s.share * t.converting_journeys as credited_conversions,
            s.share * t.total_value as credited_value
        from shares as s
        inner join totals as t on s.conversion_kind = t.conversion_kind
    """,
}


def with_data_driven_marts(source: Path, target: Path) -> Path:
    """A warehouse with the three data-driven marts: `source` itself when it has them (a
    build of the project), else a copy of it where each missing one is made up from the
    rule-based marts: journeys and paths much as the spec defines them, shares invented.
    The dashboard's tests compare the page with whatever these marts hold."""
    missing = [mart for mart in DATA_DRIVEN_MARTS if not _has(source, mart)]
    if not missing:
        return source
    shutil.copyfile(source, target)
    con = duckdb.connect(str(target))
    try:
        for mart in missing:
            con.execute(f"create table marts.{mart} as {_STAND_INS[mart]}")
    finally:
        con.close()
    return target


def _has(warehouse: Path, mart: str) -> bool:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return bool(
            con.execute(
                "select count(*) from information_schema.tables "
                "where table_schema = 'marts' and table_name = ?",
                [mart],
            ).fetchone()[0]
        )
    finally:
        con.close()


def drop_marts(warehouse: Path, *marts: str) -> None:
    """Drop marts (tables or views) from a warehouse file."""
    con = duckdb.connect(str(warehouse))
    try:
        for mart in marts:
            kinds = con.execute(
                "select table_type from information_schema.tables "
                "where table_schema = 'marts' and table_name = ?",
                [mart],
            ).fetchall()
            for (kind,) in kinds:
                con.execute(f"drop {'view' if kind == 'VIEW' else 'table'} marts.{mart}")
    finally:
        con.close()
