"""Helpers shared by the dashboard tests (test_report_*.py): the page parsed into a small
DOM, its visible text, and the data every chart carries. No browser needed."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import duckdb

# The conversion kinds and the nine rule-based attribution models, as the marts name them
# (written out here, not read from the report module the tests check).
KINDS = ("CONTACT_CREATE", "DEAL_CREATE", "REVENUE")
RULE_MODELS = (
    "FIRST_INTERACTION",
    "LAST_INTERACTION",
    "LINEAR",
    "U_SHAPED",
    "W_SHAPED",
    "FULL_PATH",
    "TIME_DECAY",
    "J_SHAPED",
    "INVERSE_J_SHAPED",
)

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
