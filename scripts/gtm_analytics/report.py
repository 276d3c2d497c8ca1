"""`gtm report`: the dashboard, one self-contained HTML file drawn from the published marts.

The page shows what HubSpot's sequence and campaign pages show, plus the project's
beyond-HubSpot views, as Vega-Lite charts (altair) and tables. Everything it needs is
inside the file: the Vega, Vega-Lite and Vega-Embed JavaScript (bundled by
`vl-convert-python`), the aggregated data of every chart, and a small script that
switches sequence, campaign, attribution model, rates/counts and daily/monthly
without a server.

The warehouse is opened read-only, so a report can be written while BI tools read the
same file, and the HTML is written to a temporary file that replaces `out` atomically.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import altair as alt
import duckdb

from gtm_analytics.errors import GtmError
from gtm_analytics.report_format import (
    DASH,
    chart_expr,
    chart_format,
    esc,
    fmt_count,
    fmt_day,
    fmt_instant,
    fmt_money,
    fmt_rate,
    glance,
)
from gtm_analytics.report_names import (
    CAMPAIGNS,
    COMPANIES,
    CONTACTS,
    DIMENSIONS,
    SEQUENCES,
    TEMPLATES,
    USERS,
    Entity,
    Label,
    label_text,
    labels,
)

Row = dict[str, Any]

# Marts of the interface (docs: interface.md) that the dashboard reads: a warehouse
# without one of them is not a finished build, and the report says so.
REQUIRED_MARTS: tuple[str, ...] = (
    "fct_sequence_enrollments",
    "sequence_performance",
    "sequence_step_performance",
    "sequence_email_performance",
    "sequence_enrollment_by_step",
    "sequence_engaged_contacts",
    "sequence_monthly",
    "sender_score_by_user",
    "sender_score_by_user_sequence",
    "campaign_overview",
    "campaign_daily",
    "campaign_monthly",
    "campaign_asset_performance",
    "campaign_traffic",
    "attribution_summary",
    "campaign_attribution",
    "campaign_revenue",
    *DIMENSIONS,
)

# Beyond-HubSpot marts: a panel whose mart is absent shows a note instead.
OPTIONAL_MARTS: tuple[str, ...] = (
    "sequence_reply_times",
    "sequence_reply_rate_by_send_time",
    "sequence_enrollment_cohorts",
    "sequence_bot_activity",
    "campaign_attribution_comparison",
    "attribution_by_channel",
    "attribution_data_driven",
    "attribution_paths",
)


@dataclass(frozen=True)
class Limits:
    """How many items a panel lists before it sums the rest into one "other" row.

    The page's size and the time to write it follow these numbers, never the data's size:
    each chart and table gets only the rows it shows, aggregated in DuckDB.
    """

    rows: int = 25
    """Sequences, campaigns, users and user x sequence pairs of a table or bar chart."""
    options: int = 25
    """Entries of the sequence and campaign selectors (the largest first)."""
    details: int = 10
    """Templates of a sequence, assets of a campaign, sources of a traffic category."""
    lines: int = 10
    """Campaigns drawn as lines in the nine-model comparison chart."""
    contacts: int = 20
    """Engaged enrollments listed."""

    def __post_init__(self) -> None:
        for name in ("rows", "options", "details", "lines", "contacts"):
            if getattr(self, name) < 1:
                raise ValueError(f"Limits.{name} must be at least 1")


ACTION_LABELS = {
    "AUTOMATED_EMAIL": "Automated email",
    "MANUAL_EMAIL_TASK": "Manual email task",
    "CALL_TASK": "Call task",
    "LINKEDIN_TASK": "LinkedIn task",
    "TODO_TASK": "To-do task",
}
STATES = ("SCHEDULED", "EXECUTING", "PAUSED", "FINISHED", "UNENROLLED")
STATE_COLORS = ("#b0c1d4", "#0091ae", "#f5c26b", "#00a38d", "#f2545b")
STEP_FIGURES: tuple[tuple[str, str, str], ...] = (
    # (mart column, label, colour)
    ("executed", "Executed", "#516f90"),
    ("opened", "Opened", "#0091ae"),
    ("clicked", "Clicked", "#6a78d1"),
    ("replied", "Replied", "#ff7a59"),
    ("meetings", "Meetings", "#00a38d"),
    ("tasks_completed", "Tasks completed", "#e8a93a"),
)
BANDS = ("Excellent", "Good", "Fair", "Low")
BAND_COLORS = ("#00a38d", "#0091ae", "#e8a93a", "#f2545b")
MODELS: tuple[tuple[str, str], ...] = (
    ("FIRST_INTERACTION", "First interaction"),
    ("LAST_INTERACTION", "Last interaction"),
    ("LINEAR", "Linear"),
    ("U_SHAPED", "U-shaped"),
    ("W_SHAPED", "W-shaped"),
    ("FULL_PATH", "Full path"),
    ("TIME_DECAY", "Time decay"),
    ("J_SHAPED", "J-shaped"),
    ("INVERSE_J_SHAPED", "Inverse J-shaped"),
)
DATA_DRIVEN_MODELS: tuple[tuple[str, str], ...] = (
    # beyond HubSpot: computed from converting and non-converting journeys, per channel
    ("MARKOV", "Markov"),
    ("SHAPLEY", "Shapley"),
)
KINDS: tuple[tuple[str, str, str], ...] = (
    # (conversion kind, label, campaign_attribution column)
    ("CONTACT_CREATE", "Contact create", "attributed_contacts"),
    ("DEAL_CREATE", "Deal create", "attributed_deals"),
    ("REVENUE", "Revenue", "attributed_revenue"),
)
KIND_UNITS = {"CONTACT_CREATE": "contacts", "DEAL_CREATE": "deals", "REVENUE": "revenue"}
SOURCE_CATEGORIES: tuple[tuple[str, str], ...] = (
    ("PAID_SEARCH", "Paid search"),
    ("PAID_SOCIAL", "Paid social"),
    ("EMAIL_MARKETING", "Email marketing"),
    ("ORGANIC_SOCIAL", "Organic social"),
    ("OTHER_CAMPAIGNS", "Other campaigns"),
    ("ORGANIC_SEARCH", "Organic search"),
    ("REFERRALS", "Referrals"),
    ("DIRECT_TRAFFIC", "Direct traffic"),
)
CHANNEL_LABELS = dict(SOURCE_CATEGORIES) | {
    "FORM": "Forms",
    "PAID_ADS": "Paid ads",
    "CTA": "CTAs",
    "SALES": "Sales (meetings)",
}
ASSET_LABELS = {
    "LANDING_PAGE": "Landing page",
    "WEBSITE_PAGE": "Website page",
    "BLOG_POST": "Blog post",
    "FORM": "Form",
    "MARKETING_EMAIL": "Marketing email",
    "AD": "Ad",
    "SOCIAL_POST": "Social post",
    "CTA": "CTA",
}
SERIES_COLORS = ("#0091ae", "#ff7a59", "#00a38d", "#6a78d1", "#e8a93a", "#f2547d", "#516f90")

THEME: dict[str, Any] = {
    "font": '"Segoe UI", "Helvetica Neue", Helvetica, Arial, "DejaVu Sans", sans-serif',
    "background": "#ffffff",
    "view": {"stroke": None},
    "axis": {
        "labelColor": "#516f90",
        "titleColor": "#33475b",
        "titleFontWeight": 600,
        "labelFontSize": 11,
        "titleFontSize": 11,
        "gridColor": "#eef2f6",
        "domainColor": "#cbd6e2",
        "tickColor": "#cbd6e2",
        "labelLimit": 220,
    },
    # an axis of counts, rates or money names its own `chart_format`
    "axisQuantitative": {"format": ",~f", "tickCount": 6},
    # formats of kind `chart_format(...)` are drawn by dashboard.js's gtmFormat
    "customFormatTypes": True,
    "legend": {
        "labelColor": "#33475b",
        "titleColor": "#33475b",
        "labelFontSize": 11,
        "titleFontSize": 11,
        "orient": "top",
        "direction": "horizontal",
        "symbolSize": 90,
    },
    "header": {"labelColor": "#33475b", "labelFontSize": 12, "labelFontWeight": 600},
    "range": {"category": list(SERIES_COLORS)},
    "bar": {"color": "#0091ae"},
    "line": {"strokeWidth": 2},
    "text": {"color": "#33475b", "fontSize": 11},
}


# --------------------------------------------------------------------------- chart data


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _values(rows: Iterable[Row]) -> list[Row]:
    """Rows as plain JSON values (decimals to floats, dates to ISO text) for a chart."""
    return [{key: _jsonable(value) for key, value in row.items()} for row in rows]


# --------------------------------------------------------------------------- warehouse


class _Warehouse:
    """A read-only connection to the published file and the marts it holds."""

    def __init__(self, path: Path) -> None:
        if not path.is_file():
            raise GtmError(
                f"warehouse {path} does not exist; build it first with "
                f"`gtm build --warehouse {path}`"
            )
        try:
            self.con = duckdb.connect(str(path), read_only=True)
        except duckdb.Error as exc:
            raise GtmError(f"cannot open warehouse {path} read-only: {exc}") from exc
        self.path = path
        try:
            listed = self.con.execute(
                "select table_schema, table_name from information_schema.tables"
            ).fetchall()
        except duckdb.Error as exc:
            self.con.close()
            raise GtmError(f"cannot read the catalog of warehouse {path}: {exc}") from exc
        self.tables = {f"{schema}.{name}" for schema, name in listed}

    def has(self, mart: str) -> bool:
        """Whether `marts.<mart>` exists."""
        return f"marts.{mart}" in self.tables

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        """Rows of a query as dicts, decimals as floats."""
        cursor = self.con.execute(sql, list(params))
        names = [column[0] for column in cursor.description]
        return [
            {
                name: float(value) if isinstance(value, Decimal) else value
                for name, value in zip(names, row, strict=True)
            }
            for row in cursor.fetchall()
        ]

    def close(self) -> None:
        self.con.close()


def _check_marts(warehouse: _Warehouse) -> None:
    missing = [mart for mart in REQUIRED_MARTS if not warehouse.has(mart)]
    if missing:
        names = ", ".join(f"marts.{mart}" for mart in missing)
        raise GtmError(
            f"warehouse {warehouse.path} lacks {len(missing)} mart(s) the dashboard needs "
            f"({names}); rebuild it with `gtm build --warehouse {warehouse.path}`"
        )


# --------------------------------------------------------------------------- top N


@dataclass
class _Top:
    """The first items of a ranking and the rest summed into one row.

    `rows` are the items shown, best first; `other` holds the sums of the `sums` columns
    over every other item and `items`, how many they are (None when nothing is left out);
    `total` is how many items there are in all.
    """

    rows: list[Row]
    other: Row | None
    total: int

    @property
    def ids(self) -> list[Any]:
        return [row["_id"] for row in self.rows]


def _top_groups(
    wh: _Warehouse,
    source: str,
    *,
    key: str,
    order: str,
    n: int,
    sums: Sequence[str] = (),
    by: Sequence[str] = (),
    params: Sequence[Any] = (),
) -> dict[tuple[Any, ...], _Top]:
    """Top `n` rows of `source` by `order` within each group of `by`, and the rest summed.

    Both the ranking and the sums run in DuckDB: Python gets `n` rows and one sum row per
    group. `key` is the item's id expression (exposed as `_id`). Rates of the other row are
    for the caller to recompute from the summed numerators and denominators.
    """
    partition = f"partition by {', '.join(by)}" if by else ""
    ranked = (
        f"with _src as ({source}), _ranked as (select *, {key} as _id, "
        f"row_number() over ({partition} order by {order}) as _rank, "
        f"count(*) over ({partition}) as _items from _src) "
    )
    group_cols = "".join(f"{column}, " for column in by)
    shown = wh.rows(
        ranked + f"select * from _ranked where _rank <= {int(n)} order by {group_cols}_rank",
        params,
    )
    summed = "".join(f", sum({column}) as {column}" for column in sums)
    rest = wh.rows(
        ranked
        + f"select {group_cols}count(*) as items, max(_items) as _items{summed} "
        + f"from _ranked where _rank > {int(n)}"
        + (f" group by {', '.join(by)}" if by else ""),
        params,
    )
    groups: dict[tuple[Any, ...], _Top] = {}
    for row in shown:
        group = tuple(row[column] for column in by)
        top = groups.setdefault(group, _Top([], None, row["_items"]))
        top.rows.append(row)
    for row in rest:
        if not row["items"]:
            continue
        group = tuple(row[column] for column in by)
        groups[group].other = row
    return groups


def _top(
    wh: _Warehouse,
    source: str,
    *,
    key: str,
    order: str,
    n: int,
    sums: Sequence[str] = (),
    params: Sequence[Any] = (),
) -> _Top:
    """Top `n` rows of `source` by `order`, and the rest summed (see `_top_groups`).

    Without groups, `order by ... limit` finds the top rows without sorting every row;
    `key` must be unique in `source` (the rest is every row whose key is not shown).
    """
    base = f"with _src as (select *, {key} as _id from ({source}) as _inner) "
    shown = wh.rows(base + f"select * from _src order by {order} limit {int(n)}", params)
    summed = "".join(f", sum({column}) as {column}" for column in sums)
    (rest,) = wh.rows(
        base + f"select count(*) as items{summed} from _src "
        "where _id not in (select unnest(?::varchar[]))",
        [*params, [str(row["_id"]) for row in shown]],
    )
    for rank, row in enumerate(shown, start=1):
        row["_rank"] = rank
    total = len(shown) + rest["items"]
    return _Top(shown, rest if rest["items"] else None, total)


def _ratio(numerator: Any, denominator: Any) -> float | None:
    """numerator / denominator, None when the denominator is zero or null (as the marts)."""
    if numerator is None or not denominator:
        return None
    return float(numerator) / float(denominator)


def _other_label(top: _Top, noun: str) -> str:
    """The text of an "other" row: how many items it sums, of how many."""
    assert top.other is not None
    return f"Other {top.other['items']:,} of {top.total:,} {noun}"


def _top_note(top: _Top, noun: str, metric: str) -> str:
    """The sentence that says a table or chart shows the top N of M (empty when all shown)."""
    if top.other is None:
        return ""
    return (
        f'<p class="chart-note top-note" data-top="{len(top.rows)}" data-of="{top.total}">'
        f"Top {len(top.rows):,} of {top.total:,} {esc(noun)} by {esc(metric)}; the other "
        f"{top.other['items']:,} are summed in the last row.</p>"
    )


def _other_cell(label: str) -> str:
    return f'<td class="other-label">{esc(label)}</td>'


# --------------------------------------------------------------------------- page model


@dataclass
class _Page:
    """Charts registered while the sections are rendered, and the selectors' state."""

    state: dict[str, Any]
    limits: Limits = field(default_factory=Limits)
    charts: dict[str, dict[str, Any]] = field(default_factory=dict)
    # the sequence and campaign selectors' options (id, label), and of how many in all
    sequences: list[tuple[str, str]] = field(default_factory=list)
    sequence_count: int = 0
    campaigns: list[tuple[str, str]] = field(default_factory=list)
    campaign_count: int = 0
    _datasets: dict[str, list[Row]] = field(default_factory=dict)
    _named: int = 0

    def data(self, values: list[Row]) -> alt.Data:
        """A chart's data, by name: its rows join the spec only after altair validated it.

        (altair walks every value of inline data, which is slow for long series; a named
        data set is resolved by Vega-Lite from the spec's top-level `datasets`.)
        """
        self._named += 1
        name = f"data-{self._named}"
        self._datasets[name] = values
        return alt.Data(name=name)

    def chart(
        self,
        chart_id: str,
        chart: alt.TopLevelMixin,
        *,
        params: Sequence[str] = (),
        title: str | None = None,
        note: str | None = None,
    ) -> str:
        """Register a chart (its spec and the parameters it listens to); return its slot."""
        spec = chart.to_dict()
        spec.pop("$schema", None)
        used = sorted(_data_names(spec) & self._datasets.keys())
        if used:
            spec["datasets"] = {
                **spec.get("datasets", {}),
                **{name: self._datasets.pop(name) for name in used},
            }
        if params:
            spec["params"] = [*spec.get("params", []), *self._params(params)]
        spec["config"] = THEME
        # re-layout on every update: a chart's size may follow the selection
        spec["autosize"] = {"type": "pad", **spec.get("autosize", {}), "resize": True}
        self.charts[chart_id] = {"spec": spec, "params": list(params)}
        heading = f'<div class="chart-title">{esc(title)}</div>' if title else ""
        remark = f'<div class="chart-note">{note}</div>' if note else ""
        return f'<div>{heading}{remark}<div class="chart" id="{chart_id}"></div></div>'

    def _params(self, names: Sequence[str]) -> list[Row]:
        return [{"name": name, "value": self.state[name]} for name in names]

    def shown(self, param: str, value: Any) -> str:
        """Attributes that tie an element's visibility to a parameter's value."""
        hidden = " hidden" if str(self.state[param]) != str(value) else ""
        return f'data-param="{param}" data-value="{esc(value)}"{hidden}'


def _data_names(spec: Any) -> set[str]:
    """Names of the named data sets a chart spec refers to."""
    if isinstance(spec, dict):
        names = set()
        data = spec.get("data")
        if isinstance(data, dict) and isinstance(data.get("name"), str):
            names.add(data["name"])
        for value in spec.values():
            names |= _data_names(value)
        return names
    if isinstance(spec, list):
        return set().union(*(_data_names(item) for item in spec)) if spec else set()
    return set()


def _select(page: _Page, param: str, label: str, options: Sequence[tuple[str, str]]) -> str:
    items = "".join(
        f'<option value="{esc(value)}"{" selected" if value == page.state[param] else ""}>'
        f"{esc(text)}</option>"
        for value, text in options
    )
    return f'<label>{esc(label)}<select data-control="{param}">{items}</select></label>'


def _segmented(page: _Page, param: str, label: str, options: Sequence[tuple[str, str]]) -> str:
    buttons = "".join(
        f'<button type="button" data-value="{esc(value)}" '
        f'aria-pressed="{"true" if value == page.state[param] else "false"}">{esc(text)}</button>'
        for value, text in options
    )
    return (
        f'<span class="seg-label"><label>{esc(label)}</label>'
        f'<span class="segmented" data-control="{param}">{buttons}</span></span>'
    )


def _checkbox(param: str, label: str) -> str:
    return f'<label><input type="checkbox" data-control="{param}"> {esc(label)}</label>'


def _panel(
    anchor: str, title: str, lede: str, body: str, *, beyond: bool = False, testid: str = ""
) -> str:
    badge = '<span class="badge-beyond">beyond HubSpot</span>' if beyond else ""
    test_attr = f' data-testid="{testid}"' if testid else ""
    return (
        f'<section class="panel" id="{anchor}"{test_attr}><h3>{esc(title)}{badge}</h3>'
        f'<p class="lede">{lede}</p>{body}</section>'
    )


def _missing(mart: str) -> str:
    return (
        f'<p class="note-missing" data-missing-mart="{mart}">This view needs the mart '
        f"<code>marts.{mart}</code>, which this warehouse does not have; it is left out. "
        "Rebuild the warehouse with <code>gtm build</code> to see it.</p>"
    )


def _card(
    label: str,
    value: str,
    sub: str = "",
    *,
    metric: str = "",
    headline: bool = False,
    goal_share: float | None = None,
) -> str:
    attr = f' data-metric="{metric}"' if metric else ""
    css = "card headline" if headline else "card"
    bar = ""
    if goal_share is not None:
        width = max(0.0, min(goal_share, 1.0)) * 100
        bar = f'<div class="goalbar"><span style="width:{width:.1f}%"></span></div>'
    sub_html = f'<div class="sub">{sub}</div>' if sub else ""
    return (
        f'<div class="{css}"{attr}><div class="label">{esc(label)}</div>'
        f'<div class="value">{value}</div>{sub_html}{bar}</div>'
    )


def _table(
    headers: Sequence[tuple[str, bool]],
    body: str,
    *,
    attrs: str = "",
    head_extra: str = "",
    css: str = "data",
) -> str:
    """A data table; headers are (text, is_numeric)."""
    cells = "".join(
        f'<th class="num">{esc(text)}</th>' if numeric else f"<th>{esc(text)}</th>"
        for text, numeric in headers
    )
    return (
        f'<div class="table-wrap"><table class="{css}" {attrs}><thead><tr>{cells}{head_extra}'
        f"</tr></thead>{body}</table></div>"
    )


def _num(text: str, field_name: str = "", rate: str | None = None) -> str:
    attr = f' data-field="{field_name}"' if field_name else ""
    rate_html = f'<span class="rate">{rate}</span>' if rate is not None else ""
    return f'<td class="num"{attr}><span class="v">{text}</span>{rate_html}</td>'


def _container(chart: alt.Chart | alt.LayerChart, height: int) -> alt.TopLevelMixin:
    """A chart as wide as its slot."""
    return chart.properties(
        width="container",
        height=height,
        autosize=alt.AutoSizeParams(type="fit-x", contains="padding"),
    )


# --------------------------------------------------------------------------- sequences


def _names(wh: _Warehouse, entity: Entity, ids: Iterable[Any]) -> dict[str, Label]:
    """Labels of the entities `ids` of one kind (see `report_names.labels`)."""
    return labels(wh.rows, entity, ids)


def _sequence_names(wh: _Warehouse, ids: Iterable[Any]) -> dict[str, str]:
    """Unique labels of the sequences `ids` (name, "(deleted)" where it is)."""
    return {key: label.text for key, label in _names(wh, SEQUENCES, ids).items()}


def _campaign_names(wh: _Warehouse, ids: Iterable[Any]) -> dict[str, str]:
    """Unique labels of the campaigns `ids`."""
    return {key: label.text for key, label in _names(wh, CAMPAIGNS, ids).items()}


def _id_attr(entity: str, entity_id: Any) -> str:
    """` data-<entity>="<id>"`: which entity a row stands for (none where it has no id)."""
    return "" if entity_id is None else f' data-{entity}="{esc(entity_id)}"'


def _named_cell(label: Label | None, entity_id: Any, fallback: Any = None) -> str:
    """A table cell naming an entity: its name (with its id only where nothing else tells it
    apart) and its first detail (email, subject) on a second line; the fallback (else the
    id) where the marts do not name it."""
    if label is None:
        return f"<td>{esc(fallback or entity_id)}</td>"
    main = label.text if label.by_id else label.name
    detail = f'<span class="detail">{esc(label.detail)}</span>' if label.detail else ""
    return f'<td class="named"><span class="name">{esc(main)}</span>{detail}</td>'


def _sequence_summary(wh: _Warehouse) -> str:
    totals = wh.rows(
        """
        select
            sum(total_enrollments) as total_enrollments,
            sum(currently_enrolled) as currently_enrolled,
            sum(opened_count) as opened_count,
            sum(clicked_count) as clicked_count,
            sum(replied_count) as replied_count,
            sum(meeting_count) as meeting_count,
            sum(no_reply_count) as no_reply_count,
            sum(bounced_count) as bounced_count,
            sum(unsubscribed_count) as unsubscribed_count,
            sum(deal_count) as deal_count,
            sum(total_revenue) as total_revenue,
            count(*) as sequences
        from marts.sequence_performance
        """
    )[0]
    unique_contacts = wh.rows(
        "select count(distinct contact_id) as n from marts.fct_sequence_enrollments "
        "where is_started"
    )[0]["n"]
    total = totals["total_enrollments"] or 0

    def rate_card(metric: str, label: str, count_key: str, what: str) -> str:
        count = totals[count_key] or 0
        rate = count / total if total else None
        return _card(
            label,
            fmt_rate(rate),
            f'<span data-role="count">{glance(count)}</span> {what}',
            metric=metric,
        )

    cards = [
        _card(
            "Total enrollments",
            glance(total),
            f"started, across {glance(totals['sequences'])} sequences",
            metric="total_enrollments",
            headline=True,
        ),
        _card(
            "Unique contacts",
            glance(unique_contacts),
            "distinct enrolled contacts",
            metric="unique_contacts",
            headline=True,
        ),
        _card(
            "Currently enrolled",
            glance(totals["currently_enrolled"]),
            "executing or paused",
            metric="currently_enrolled",
            headline=True,
        ),
        rate_card("open_rate", "Open rate", "opened_count", "opened"),
        rate_card("click_rate", "Click rate", "clicked_count", "clicked"),
        rate_card("reply_rate", "Reply rate", "replied_count", "replied"),
        rate_card("meeting_rate", "Meeting rate", "meeting_count", "booked a meeting"),
        rate_card("no_reply_rate", "No reply", "no_reply_count", "finished without reply"),
        rate_card("bounce_rate", "Bounce rate", "bounced_count", "bounced"),
        rate_card("unsubscribe_rate", "Unsubscribe rate", "unsubscribed_count", "unsubscribed"),
        rate_card("deal_rate", "Deal rate", "deal_count", "led to a deal"),
        _card(
            "Total revenue",
            glance(totals["total_revenue"], money=True),
            "closed-won deals credited to sequences",
            metric="total_revenue",
            headline=True,
        ),
    ]
    body = f'<div class="cards" data-testid="sequence-summary">{"".join(cards)}</div>'
    return _panel(
        "seq-summary",
        "Summary",
        "All sequences together. Rates are shares of started enrollments; each card shows "
        "its count below.",
        body,
    )


SEQUENCE_COUNTS: tuple[str, ...] = (
    "total_enrollments",
    "opened_count",
    "clicked_count",
    "replied_count",
    "meeting_count",
    "bounced_count",
    "deal_count",
    "total_revenue",
)


def _sequence_comparison(wh: _Warehouse, page: _Page) -> str:
    top = _top(
        wh,
        "select * from marts.sequence_performance",
        key="sequence_id",
        order="total_enrollments desc, sequence_id",
        n=page.limits.rows,
        sums=SEQUENCE_COUNTS,
    )
    rows = top.rows
    other = top.other
    if other is not None:
        # the other row's rates: its summed counts over its summed enrollments
        for key in ("opened", "clicked", "replied", "meeting", "bounced", "deal"):
            other[f"{key}_rate"] = _ratio(other[f"{key}_count"], other["total_enrollments"])

    def figures(row: Row) -> list[str]:
        cells = [_num(fmt_count(row["total_enrollments"]), "total_enrollments")]
        for key in ("opened", "clicked", "replied", "meeting"):
            cells.append(_num(fmt_count(row[f"{key}_count"]), key, fmt_rate(row[f"{key}_rate"])))
        return cells + [
            _num(fmt_count(row["bounced_count"]), "bounced", fmt_rate(row["bounced_rate"])),
            _num(fmt_count(row["deal_count"]), "deal", fmt_rate(row["deal_rate"])),
            _num(fmt_money(row["total_revenue"]), "total_revenue"),
        ]

    names = _sequence_names(wh, top.ids)
    body = []
    for row in rows:
        deleted = ' <span class="tag deleted">deleted</span>' if row["is_deleted"] else ""
        name = names.get(row["sequence_id"], row["sequence_id"])
        if row["is_deleted"]:
            name = name.removesuffix(" (deleted)")  # the tag says it
        cells = [
            f"<td>{esc(name)}{deleted}</td>",
            f"<td>{esc(row['folder_name'])}</td>",
            f"<td>{fmt_day(row['created_at'])}</td>",
            *figures(row),
        ]
        css = ' class="is-deleted"' if row["is_deleted"] else ""
        body.append(f'<tr{css} data-sequence="{esc(row["sequence_id"])}">{"".join(cells)}</tr>')
    if other is not None:
        body.append(
            f'<tr class="other" data-other="{other["items"]}">'
            + _other_cell(_other_label(top, "sequences"))
            + f"<td>{DASH}</td><td>{DASH}</td>"
            + "".join(figures(other))
            + "</tr>"
        )
    table = _table(
        [
            ("Sequence", False),
            ("Folder", False),
            ("Created", False),
            ("Enrollments", True),
            ("Opens", True),
            ("Clicks", True),
            ("Replies", True),
            ("Meetings", True),
            ("Bounces", True),
            ("Deals", True),
            ("Revenue", True),
        ],
        f"<tbody>{''.join(body)}</tbody>",
        attrs='data-testid="sequence-comparison"',
    )
    shown = [(names[row["sequence_id"]], row) for row in rows]
    if other is not None:
        shown.append((_other_label(top, "sequences"), other))
    values = []
    for label, row in shown:
        for key, measure in (("replied", "Reply rate"), ("meeting", "Meeting rate")):
            values.append(
                {
                    "sequence": label,
                    "measure": measure,
                    "rate": row[f"{key}_rate"],
                    "count": row[f"{key}_count"],
                    "total": row["total_enrollments"],
                }
            )
    chart = (
        alt.Chart(page.data(values))
        .mark_bar(cornerRadiusEnd=2, height={"band": 1})
        .encode(
            y=alt.Y("sequence:N", sort=[label for label, _row in shown], title=None),
            yOffset=alt.YOffset("measure:N", sort=["Reply rate", "Meeting rate"]),
            x=alt.X("rate:Q", title="share of enrollments", axis=alt.Axis(**chart_format("rate0"))),
            color=alt.Color(
                "measure:N",
                title=None,
                scale=alt.Scale(
                    domain=["Reply rate", "Meeting rate"], range=["#ff7a59", "#00a38d"]
                ),
            ),
            tooltip=[
                alt.Tooltip("sequence:N", title="Sequence"),
                alt.Tooltip("measure:N", title="Measure"),
                alt.Tooltip("rate:Q", title="Rate", **chart_format("rate")),
                alt.Tooltip("count:Q", title="Enrollments", **chart_format("count")),
                alt.Tooltip("total:Q", title="Of", **chart_format("count")),
            ],
        )
    )
    slot = page.chart(
        "chart-sequence-rates",
        _container(chart, 24 * len(shown) + 10),
        title="Reply and meeting rate by sequence",
    )
    return _panel(
        "seq-comparison",
        "Sequence comparison",
        "Per sequence: when it was created, started enrollments, and how many of them opened, "
        "clicked, replied and booked a meeting (counts, with the rate below each).",
        _top_note(top, "sequences", "started enrollments") + slot + table,
    )


def _step_label(row: Row) -> str:
    label = (
        f"{row['step_order']} \u00b7 {ACTION_LABELS.get(row['action_type'], row['action_type'])}"
    )
    return label + (" (deleted)" if row["is_deleted"] else "")


def _sequence_options(wh: _Warehouse, limit: int) -> tuple[list[tuple[str, str]], int]:
    """The sequence selector's options: the `limit` largest (in use first), and of how many."""
    top = _top(
        wh,
        "select sequence_id, is_deleted, total_enrollments from marts.sequence_performance",
        key="sequence_id",
        order="is_deleted, total_enrollments desc, sequence_id",
        n=limit,
    )
    names = _sequence_names(wh, top.ids)
    return [(row["sequence_id"], names[row["sequence_id"]]) for row in top.rows], top.total


def _options_note(shown: int, total: int, noun: str, metric: str) -> str:
    if shown >= total:
        return ""
    return (
        f'<span class="top-note" data-top="{shown}" data-of="{total}">the {shown:,} '
        f"{esc(noun)} with the most {esc(metric)}, of {total:,}</span>"
    )


def _sequence_select(page: _Page) -> str:
    """The sequence selector: the largest sequences (in use first), and a note if not all."""
    return _select(page, "sequence", "Sequence", page.sequences) + _options_note(
        len(page.sequences), page.sequence_count, "sequences", "started enrollments"
    )


def _campaign_select(page: _Page) -> str:
    """The campaign selector: the campaigns with the most sessions, and a note if not all."""
    return _select(page, "campaign", "Campaign", page.campaigns) + _options_note(
        len(page.campaigns), page.campaign_count, "campaigns", "sessions"
    )


def _step_performance(wh: _Warehouse, page: _Page) -> str:
    steps = wh.rows(
        """
        select s.*, p.total_enrollments
        from marts.sequence_step_performance as s
        join marts.sequence_performance as p using (sequence_id)
        where s.sequence_id in (select unnest(?::varchar[]))
        order by s.sequence_id, s.step_order, s.is_deleted, s.step_id
        """,
        [[sequence_id for sequence_id, _name in page.sequences]],
    )
    values = []
    for position, step in enumerate(steps):
        label = _step_label(step)
        for column, figure, _color in STEP_FIGURES:
            if column == "executed":
                total = step["total_enrollments"]
                rate = step["executed"] / total if total else None
            else:
                rate = step[f"{column}_rate"]
            values.append(
                {
                    "sequence_id": step["sequence_id"],
                    "step": label,
                    "sort": position,
                    "is_deleted": step["is_deleted"],
                    "figure": figure,
                    "count": step[column],
                    "rate": rate,
                }
            )
    base = (
        alt.Chart()
        .transform_filter("datum.sequence_id == sequence")
        .transform_filter("!hide_deleted || !datum.is_deleted")
        .transform_calculate(
            value="step_measure == 'rates' ? datum.rate : datum.count",
            shown=f"step_measure == 'rates' ? {chart_expr('datum.rate', 'rate')} "
            f": {chart_expr('datum.count', 'count')}",
        )
        .encode(
            y=alt.Y(
                "step:N",
                title=None,
                sort=alt.EncodingSortField("sort", op="min"),
                axis=alt.Axis(labelLimit=200),
            ),
            x=alt.X("value:Q", axis=None, scale=alt.Scale(zero=True)),
        )
    )
    bars = base.mark_bar(cornerRadiusEnd=2).encode(
        color=alt.Color(
            "figure:N",
            legend=None,
            scale=alt.Scale(
                domain=[label for _c, label, _k in STEP_FIGURES],
                range=[color for _c, _l, color in STEP_FIGURES],
            ),
        ),
        opacity={"condition": {"test": "datum.is_deleted", "value": 0.4}, "value": 1},
        tooltip=[
            alt.Tooltip("step:N", title="Step"),
            alt.Tooltip("figure:N", title="Figure"),
            alt.Tooltip("count:Q", title="Enrollments", **chart_format("count")),
            alt.Tooltip("rate:Q", title="Rate", **chart_format("rate")),
        ],
    )
    labels = base.mark_text(align="left", dx=3, baseline="middle").encode(text="shown:N")
    chart = (
        alt.layer(bars, labels, data=page.data(values))
        .properties(width=100, height={"step": 26})
        .facet(
            column=alt.Column(
                "figure:N",
                sort=[label for _c, label, _k in STEP_FIGURES],
                title=None,
                header=alt.Header(labelAlign="left", labelAnchor="start"),
            ),
            spacing=46,
        )
        .resolve_scale(x="independent")
    )
    slot = page.chart(
        "chart-step-performance",
        chart,
        params=("sequence", "step_measure", "hide_deleted"),
        note="In <b>Rates</b>, Executed is the share of the sequence's enrollments that reached "
        "the step; the other figures are shares of the step's executions.",
    )

    # The same figures as a table, one body per sequence, each cell holding both views.
    bodies = []
    by_sequence: dict[str, list[Row]] = {}
    for step in steps:
        by_sequence.setdefault(step["sequence_id"], []).append(step)
    for sequence_id, _name in page.sequences:
        rows = []
        for step in by_sequence.get(sequence_id, []):
            css = ' class="is-deleted"' if step["is_deleted"] else ""
            cells = [f"<td>{esc(_step_label(step))}</td>"]
            for column, _figure, _color in STEP_FIGURES:
                if column == "executed":
                    total = step["total_enrollments"]
                    rate = step["executed"] / total if total else None
                else:
                    rate = step[f"{column}_rate"]
                cells.append(
                    f'<td class="num" data-field="{column}">'
                    f'<span data-param="step_measure" data-value="counts"'
                    f"{'' if page.state['step_measure'] == 'counts' else ' hidden'}>"
                    f"{fmt_count(step[column])}</span>"
                    f'<span data-param="step_measure" data-value="rates"'
                    f"{'' if page.state['step_measure'] == 'rates' else ' hidden'}>"
                    f"{fmt_rate(rate)}</span></td>"
                )
            rows.append(f'<tr{css} data-step="{esc(step["step_id"])}">{"".join(cells)}</tr>')
        bodies.append(f"<tbody {page.shown('sequence', sequence_id)}>{''.join(rows)}</tbody>")
    table = _table(
        [("Step", False), *((label, True) for _c, label, _k in STEP_FIGURES)],
        "".join(bodies),
        attrs='data-testid="step-table"',
    )
    controls = (
        '<div class="controls">'
        + _sequence_select(page)
        + _segmented(page, "step_measure", "Show", [("rates", "Rates"), ("counts", "Counts")])
        + _checkbox("hide_deleted", "Hide steps no longer in use")
        + "</div>"
    )
    return _panel(
        "seq-steps",
        "Step performance",
        "How contacts move through the selected sequence, step by step. Deleted steps are "
        "faded; counts are of enrollments.",
        controls + slot + table,
        testid="step-performance",
    )


def _enrollment_by_step(wh: _Warehouse, page: _Page) -> str:
    rows = wh.rows(
        "select * from marts.sequence_enrollment_by_step "
        "where sequence_id in (select unnest(?::varchar[]))",
        [[sequence_id for sequence_id, _name in page.sequences]],
    )
    values = [
        {
            "sequence_id": row["sequence_id"],
            "step": "Not started"
            if row["current_step_order"] is None
            else f"Step {row['current_step_order']}",
            "sort": -1 if row["current_step_order"] is None else row["current_step_order"],
            "state": row["enrollment_state"].title(),
            "state_sort": STATES.index(row["enrollment_state"])
            if row["enrollment_state"] in STATES
            else len(STATES),
            "enrollments": row["enrollments"],
        }
        for row in rows
    ]
    chart = (
        alt.Chart(page.data(values))
        .transform_filter("datum.sequence_id == sequence")
        .mark_bar()
        .encode(
            x=alt.X(
                "step:N",
                title=None,
                sort=alt.EncodingSortField("sort", op="min"),
                axis=alt.Axis(labelAngle=0),
            ),
            y=alt.Y(
                "sum(enrollments):Q", title="enrollments", axis=alt.Axis(**chart_format("compact"))
            ),
            color=alt.Color(
                "state:N",
                title=None,
                scale=alt.Scale(domain=[s.title() for s in STATES], range=list(STATE_COLORS)),
            ),
            order=alt.Order("state_sort:Q"),
            tooltip=[
                alt.Tooltip("step:N", title="Current step"),
                alt.Tooltip("state:N", title="State"),
                alt.Tooltip("sum(enrollments):Q", title="Enrollments", **chart_format("count")),
            ],
        )
    )
    slot = page.chart("chart-enrollment-by-step", _container(chart, 240), params=("sequence",))
    controls = '<div class="controls">' + _sequence_select(page) + "</div>"
    return _panel(
        "seq-by-step",
        "Enrollment by step",
        "Enrollments of the selected sequence by the step they are at, split by state "
        "(scheduled ones included).",
        controls + slot,
    )


EMAIL_FIGURES: tuple[str, ...] = ("opened", "clicked", "replied", "meetings")


def _email_performance(wh: _Warehouse, page: _Page) -> str:
    ids = [sequence_id for sequence_id, _name in page.sequences]
    tops = _top_groups(
        wh,
        "select * from marts.sequence_email_performance "
        "where sequence_id in (select unnest(?::varchar[]))",
        key="template_id",
        by=("sequence_id",),
        order="sends desc, template_id",
        n=page.limits.details,
        sums=("sends", *EMAIL_FIGURES),
        params=[ids],
    )
    used = wh.rows(
        """
        select sequence_id, template_id,
            string_agg(cast(step_order as varchar), ', ' order by step_order) as steps
        from marts.sequence_step_performance
        where template_id is not null and not is_deleted
            and sequence_id in (select unnest(?::varchar[]))
        group by 1, 2
        """,
        [ids],
    )
    used_in = {(row["sequence_id"], row["template_id"]): row["steps"] for row in used}
    templates = _names(
        wh, TEMPLATES, (row["template_id"] for top in tops.values() for row in top.rows)
    )

    def figures(row: Row) -> str:
        return _num(fmt_count(row["sends"]), "sends") + "".join(
            _num(fmt_count(row[figure]), figure, fmt_rate(row[f"{figure}_rate"]))
            for figure in EMAIL_FIGURES
        )

    bodies = []
    for sequence_id in ids:
        top = tops.get((sequence_id,), _Top([], None, 0))
        lines = []
        for row in top.rows:
            steps = used_in.get((sequence_id, row["template_id"]))
            template = (
                # emails sent without one
                '<td class="named"><span class="name">No template</span></td>'
                if row["template_id"] is None
                else _named_cell(templates.get(row["template_id"]), row["template_id"])
            )
            lines.append(
                f"<tr{_id_attr('template', row['template_id'])}>{template}"
                f"<td>{'step ' + esc(steps) if steps else DASH}</td>{figures(row)}</tr>"
            )
        if top.other is not None:
            other = top.other
            for figure in EMAIL_FIGURES:
                other[f"{figure}_rate"] = _ratio(other[figure], other["sends"])
            lines.append(
                f'<tr class="other" data-other="{other["items"]}">'
                + _other_cell(_other_label(top, "templates"))
                + f"<td>{DASH}</td>{figures(other)}</tr>"
            )
        if not lines:
            lines.append('<tr><td colspan="7">No sequence emails sent.</td></tr>')
        bodies.append(f"<tbody {page.shown('sequence', sequence_id)}>{''.join(lines)}</tbody>")
    table = _table(
        [
            ("Template", False),
            ("Used by", False),
            ("Sends", True),
            ("Opened", True),
            ("Clicked", True),
            ("Replied", True),
            ("Meetings", True),
        ],
        "".join(bodies),
        attrs='data-testid="email-performance"',
        css="data compact",
    )
    controls = '<div class="controls">' + _sequence_select(page) + "</div>"
    return _panel(
        "seq-emails",
        "Email performance",
        "Per email template of the selected sequence (a step may have changed template, so "
        "an old template can still have sends): emails sent and how many were opened, "
        "clicked, replied to and led to a meeting, with rates over sends. A sequence with "
        f"more than {page.limits.details} templates lists the {page.limits.details} with the "
        "most sends and sums the others in one row.",
        controls + table,
    )


def _engaged_contacts(wh: _Warehouse, page: _Page) -> str:
    top = _top(
        wh,
        "select * from marts.sequence_engaged_contacts",
        key="enrollment_id",
        order="engagement_rank, enrollment_id",
        n=page.limits.contacts,
        sums=("emails_sent", "opens", "clicks"),
    )
    names = _sequence_names(wh, (row["sequence_id"] for row in top.rows))
    contacts = _names(wh, CONTACTS, (row["contact_id"] for row in top.rows))
    companies = _names(wh, COMPANIES, (row["company_id"] for row in top.rows))

    def company(row: Row) -> str:
        if row["company_id"] is None:
            return f"<td>{DASH}</td>"
        return f"<td>{esc(label_text(companies, row['company_id']))}</td>"

    body = "".join(
        f"<tr{_id_attr('contact', row['contact_id'])}{_id_attr('company', row['company_id'])}>"
        + _num(fmt_count(row["engagement_rank"]), "rank")
        + _named_cell(contacts.get(row["contact_id"]), row["contact_id"])
        + company(row)
        + f"<td>{esc(names.get(row['sequence_id'], row['sequence_id']))}</td>"
        + f"<td>{esc(row['enrollment_state'].title())}</td>"
        + _num(fmt_count(row["last_step_order"]), "last_step")
        + _num(fmt_count(row["next_step_order"]), "next_step")
        + _num(fmt_count(row["emails_sent"]), "emails_sent")
        + _num(fmt_count(row["opens"]), "opens")
        + _num(fmt_count(row["clicks"]), "clicks")
        + "</tr>"
        for row in top.rows
    )
    if top.other is not None:
        other = top.other
        body += (
            f'<tr class="other" data-other="{other["items"]}"><td></td>'
            + _other_cell(_other_label(top, "enrollments"))
            + f"<td>{DASH}</td>" * 5
            + _num(fmt_count(other["emails_sent"]), "emails_sent")
            + _num(fmt_count(other["opens"]), "opens")
            + _num(fmt_count(other["clicks"]), "clicks")
            + "</tr>"
        )
    table = _table(
        [
            ("#", True),
            ("Contact", False),
            ("Company", False),
            ("Sequence", False),
            ("State", False),
            ("Last step", True),
            ("Next step", True),
            ("Emails sent", True),
            ("Opens", True),
            ("Clicks", True),
        ],
        f"<tbody>{body}</tbody>",
        attrs='data-testid="engaged-contacts"',
    )
    return _panel(
        "seq-engaged",
        "Highly engaged contacts",
        f"The {len(top.rows)} most engaged of {top.total:,} enrollments of all sequences, "
        "ranked by clicks, then opens, then emails sent"
        + ("; the others are summed in the last row." if top.other is not None else "."),
        table,
    )


def _monthly(wh: _Warehouse, page: _Page) -> str:
    rows = wh.rows("select * from marts.sequence_monthly order by enrollment_month")
    values = _values(rows)
    bars = (
        alt.Chart(page.data(values))
        .mark_bar(color="#516f90", cornerRadiusEnd=2)
        .encode(
            x=alt.X(
                "enrollment_month:T",
                timeUnit="utcyearmonth",
                title=None,
                axis=alt.Axis(format="%b %Y", labelAngle=-40),
            ),
            y=alt.Y("enrollments:Q", title="enrollments", axis=alt.Axis(**chart_format("compact"))),
            tooltip=[
                alt.Tooltip(
                    "enrollment_month:T", timeUnit="utcyearmonth", title="Month", format="%B %Y"
                ),
                alt.Tooltip("enrollments:Q", title="Enrollments", **chart_format("count")),
            ],
        )
    )
    rate_names = [
        ("opened", "Open rate"),
        ("clicked", "Click rate"),
        ("replied", "Reply rate"),
        ("meeting", "Meeting rate"),
        ("unsubscribed", "Unsubscribe rate"),
    ]
    long_values = [
        {
            "month": value["enrollment_month"],
            "measure": label,
            "rate": value[f"{key}_rate"],
            "count": value[f"{key}_count"],
            "enrollments": value["enrollments"],
        }
        for value in values
        for key, label in rate_names
    ]
    lines = (
        alt.Chart(page.data(long_values))
        .mark_line(point=alt.OverlayMarkDef(size=22))
        .encode(
            x=alt.X(
                "month:T",
                timeUnit="utcyearmonth",
                title=None,
                axis=alt.Axis(format="%b %Y", labelAngle=-40),
            ),
            y=alt.Y("rate:Q", title="share of enrollments", axis=alt.Axis(**chart_format("rate0"))),
            color=alt.Color("measure:N", title=None, sort=[label for _k, label in rate_names]),
            tooltip=[
                alt.Tooltip("month:T", timeUnit="utcyearmonth", title="Month", format="%B %Y"),
                alt.Tooltip("measure:N", title="Measure"),
                alt.Tooltip("rate:Q", title="Rate", **chart_format("rate")),
                alt.Tooltip("count:Q", title="Enrollments", **chart_format("count")),
                alt.Tooltip("enrollments:Q", title="Of", **chart_format("count")),
            ],
        )
    )
    charts = (
        '<div class="grid-2">'
        + page.chart(
            "chart-monthly-enrollments", _container(bars, 230), title="Enrollments per month"
        )
        + page.chart(
            "chart-monthly-rates",
            _container(lines, 230),
            title="Engagement per enrollment, by month of enrollment",
        )
        + "</div>"
    )
    body = "".join(
        "<tr>"
        + f"<td>{esc(str(row['enrollment_month'])[:7])}</td>"
        + _num(fmt_count(row["enrollments"]), "enrollments")
        + "".join(
            _num(fmt_count(row[f"{key}_count"]), key, fmt_rate(row[f"{key}_rate"]))
            for key, _label in rate_names
        )
        + "</tr>"
        for row in rows
    )
    table = _table(
        [("Month", False), ("Enrollments", True), *((label, True) for _k, label in rate_names)],
        f"<tbody>{body}</tbody>",
        attrs='data-testid="monthly-table"',
    )
    return _panel(
        "seq-monthly",
        "Monthly trend",
        "Started enrollments per month of enrollment, and the share of them that opened, "
        "clicked, replied, booked a meeting or unsubscribed.",
        charts + f'<details class="more"><summary>Monthly figures</summary>{table}</details>',
    )


SCORE_COUNTS: tuple[str, ...] = (
    "started_enrollments",
    "completed_enrollments",
    "replied",
    "bounced",
    "not_bounced",
)


def _score_cell(row: Row) -> str:
    if row.get("items"):
        # an "other" row: a score is a user's (or a pair's), never a group's
        return '<td colspan="2"><span class="band band-none">no score for a group</span></td>'
    if not row["is_score_available"]:
        return (
            '<td colspan="2"><span class="band band-none">not enough completed enrollments'
            "</span></td>"
        )
    band = esc(row["sender_score_band"])
    return (
        f'<td class="num" data-field="sender_score">{float(row["sender_score"]):.1f}</td>'
        f'<td><span class="band band-{band}">{band}</span></td>'
    )


def _score_rates(other: Row | None) -> None:
    """The other row's reply rate (bounces left out) and bounce rate, from its sums."""
    if other is not None:
        other["reply_rate"] = _ratio(other["replied"], other["not_bounced"])
        other["bounce_rate"] = _ratio(other["bounced"], other["completed_enrollments"])


def _score_order(row: Row) -> tuple[Any, ...]:
    """Users as the chart lists them: scored first, best score first."""
    score = row["sender_score"]
    return (
        not row["is_score_available"],
        score is None,
        -float(score or 0),
        -int(row["completed_enrollments"] or 0),
        str(row["user_id"]),
    )


def _sender_score(wh: _Warehouse, page: _Page) -> str:
    # the users whose figures rest on the most completed enrollments, best score first
    top = _top(
        wh,
        "select * from marts.sender_score_by_user",
        key="user_id",
        order="completed_enrollments desc, user_id",
        n=page.limits.rows,
        sums=SCORE_COUNTS,
    )
    users = sorted(top.rows, key=_score_order)
    _score_rates(top.other)
    # both tables' users at once: one label per user wherever it shows
    pairs_top = _top(
        wh,
        "select * from marts.sender_score_by_user_sequence",
        key="user_id || '|' || sequence_id",
        order="completed_enrollments desc, user_id, sequence_id",
        n=page.limits.rows,
        sums=SCORE_COUNTS,
    )
    people = _names(wh, USERS, (row["user_id"] for row in [*users, *pairs_top.rows]))
    user_names = {
        row["user_id"]: label_text(people, row["user_id"], row["user_full_name"])
        for row in [*users, *pairs_top.rows]
    }
    values = [
        {
            "user": user_names[row["user_id"]],
            "score": row["sender_score"],
            "band": row["sender_score_band"],
            "available": bool(row["is_score_available"]),
            "completed": row["completed_enrollments"],
            "reply_rate": row["reply_rate"],
            "bounce_rate": row["bounce_rate"],
            "note": f"not enough completed enrollments ({row['completed_enrollments']:,})",
        }
        for row in users
    ]
    if top.other is not None:
        other = top.other
        values.append(
            {
                "user": _other_label(top, "users"),
                "score": None,
                "band": None,
                "available": False,
                "completed": other["completed_enrollments"],
                "reply_rate": other["reply_rate"],
                "bounce_rate": other["bounce_rate"],
                "note": "no score for a group "
                f"({other['completed_enrollments']:,} completed enrollments)",
            }
        )
    order = [value["user"] for value in values]
    base = alt.Chart(page.data(values)).encode(y=alt.Y("user:N", sort=order, title=None))
    tooltip = [
        alt.Tooltip("user:N", title="User"),
        alt.Tooltip("score:Q", title="Sender score", format=".1f"),
        alt.Tooltip("band:N", title="Band"),
        alt.Tooltip("completed:Q", title="Completed enrollments", **chart_format("count")),
        alt.Tooltip("reply_rate:Q", title="Reply rate", **chart_format("rate")),
        alt.Tooltip("bounce_rate:Q", title="Bounce rate", **chart_format("rate")),
    ]
    bars = (
        base.transform_filter("datum.available")
        .mark_bar(cornerRadiusEnd=2)
        .encode(
            x=alt.X("score:Q", title="sender score", scale=alt.Scale(domain=[0, 100])),
            color=alt.Color(
                "band:N", title=None, scale=alt.Scale(domain=list(BANDS), range=list(BAND_COLORS))
            ),
            tooltip=tooltip,
        )
    )
    scores = (
        base.transform_filter("datum.available")
        .mark_text(align="left", dx=4)
        .encode(x="score:Q", text=alt.Text("score:Q", format=".1f"))
    )
    notes = (
        base.transform_filter("!datum.available")
        .mark_text(align="left", dx=4, color="#7c98b6", fontStyle="italic")
        .encode(x=alt.datum(0), text="note:N", tooltip=tooltip)
    )
    slot = page.chart(
        "chart-sender-score",
        _container(alt.layer(bars, scores, notes), 28 * len(values) + 10),
        title="Sender score per user",
    )

    def user_cell(row: Row) -> str:
        return _named_cell(people.get(row["user_id"]), row["user_id"], row["user_full_name"])

    def score_row(label: str, row: Row, css: str = "") -> str:
        user = "" if css else f' data-user="{esc(row["user_id"])}"'
        return (
            f"<tr{css}{user}>"
            + (_other_cell(label) if css else user_cell(row))
            + _num(fmt_count(row["completed_enrollments"]), "completed_enrollments")
            + _num(fmt_rate(row["reply_rate"]), "reply_rate")
            + _num(fmt_rate(row["bounce_rate"]), "bounce_rate")
            + _score_cell(row)
            + "</tr>"
        )

    body = "".join(score_row(user_names[row["user_id"]], row) for row in users)
    if top.other is not None:
        body += score_row(
            _other_label(top, "users"),
            top.other,
            f' class="other" data-other="{top.other["items"]}"',
        )
    table = _table(
        [
            ("User", False),
            ("Completed enrollments", True),
            ("Reply rate", True),
            ("Bounce rate", True),
            ("Score", True),
            ("Band", False),
        ],
        f"<tbody>{body}</tbody>",
        attrs='data-testid="sender-score"',
    )
    _score_rates(pairs_top.other)
    pairs = sorted(
        pairs_top.rows,
        key=lambda r: (
            user_names[r["user_id"]].casefold(),
            -int(r["completed_enrollments"] or 0),
            str(r["sequence_id"]),
        ),
    )
    names = _sequence_names(wh, (row["sequence_id"] for row in pairs))
    pair_body = "".join(
        f'<tr data-user="{esc(row["user_id"])}" data-sequence="{esc(row["sequence_id"])}">'
        + user_cell(row)
        + f"<td>{esc(names.get(row['sequence_id'], row['sequence_id']))}</td>"
        + _num(fmt_count(row["completed_enrollments"]))
        + _num(fmt_rate(row["reply_rate"]))
        + _num(fmt_rate(row["bounce_rate"]))
        + _score_cell(row)
        + "</tr>"
        for row in pairs
    )
    if pairs_top.other is not None:
        other = pairs_top.other
        pair_body += (
            f'<tr class="other" data-other="{other["items"]}">'
            + _other_cell(_other_label(pairs_top, "user and sequence pairs"))
            + f"<td>{DASH}</td>"
            + _num(fmt_count(other["completed_enrollments"]))
            + _num(fmt_rate(other["reply_rate"]))
            + _num(fmt_rate(other["bounce_rate"]))
            + _score_cell(other)
            + "</tr>"
        )
    pair_table = _table(
        [
            ("User", False),
            ("Sequence", False),
            ("Completed enrollments", True),
            ("Reply rate", True),
            ("Bounce rate", True),
            ("Score", True),
            ("Band", False),
        ],
        f"<tbody>{pair_body}</tbody>",
        attrs='data-testid="sender-score-pairs"',
    )
    return _panel(
        "seq-sender-score",
        "Sender score",
        "Per enrolling user: completed enrollments, reply rate (bounces left out) and bounce "
        "rate, turned into a score from 0 to 100 with its band. Users below the minimum of "
        "completed enrollments keep their rates but get no score.",
        _top_note(top, "users", "completed enrollments")
        + slot
        + table
        + '<details class="more"><summary>Breakdown by user and sequence</summary>'
        + _top_note(pairs_top, "user and sequence pairs", "completed enrollments")
        + pair_table
        + "</details>",
    )


def _sequence_beyond(wh: _Warehouse, page: _Page) -> str:
    blocks: list[str] = []

    if wh.has("sequence_reply_times"):
        # the sequences with the most timed replies; the others' replies pooled in one row,
        # whose median and 90th percentile come from those replies themselves
        top = _top(
            wh,
            "select * from marts.sequence_reply_times where timed_replies > 0",
            key="sequence_id",
            order="timed_replies desc, sequence_id",
            n=page.limits.rows,
            sums=("timed_replies",),
        )
        rows = sorted(
            top.rows,
            key=lambda r: (float(r["median_hours_to_first_reply"]), str(r["sequence_id"])),
        )
        names = _sequence_names(wh, top.ids)
        values = [
            {
                "sequence": names.get(row["sequence_id"], row["sequence_name"]),
                "median": row["median_hours_to_first_reply"] / 24,
                "p90": row["p90_hours_to_first_reply"] / 24,
                "replies": row["timed_replies"],
            }
            for row in rows
        ]
        if top.other is not None:
            (pooled,) = wh.rows(
                """
                select quantile_cont(hours_to_first_reply, 0.5) as median,
                    quantile_cont(hours_to_first_reply, 0.9) as p90
                from marts.fct_sequence_enrollments
                where is_started and hours_to_first_reply is not null
                    and sequence_id not in (select unnest(?::varchar[]))
                """,
                [top.ids],
            )
            if pooled["median"] is not None:
                values.append(
                    {
                        "sequence": _other_label(top, "sequences"),
                        "median": float(pooled["median"]) / 24,
                        "p90": float(pooled["p90"]) / 24,
                        "replies": top.other["timed_replies"],
                    }
                )
        order = [value["sequence"] for value in values]
        base = alt.Chart(page.data(values)).encode(y=alt.Y("sequence:N", sort=order, title=None))
        tooltip = [
            alt.Tooltip("sequence:N", title="Sequence"),
            alt.Tooltip("median:Q", title="Median (days)", format=".1f"),
            alt.Tooltip("p90:Q", title="90th percentile (days)", format=".1f"),
            alt.Tooltip("replies:Q", title="Timed replies", **chart_format("count")),
        ]
        span = base.mark_rule(color="#cbd6e2", strokeWidth=3).encode(
            x=alt.X("median:Q", title="days from first email to first reply"), x2="p90:Q"
        )
        points = (
            base.transform_fold(["median", "p90"], as_=["statistic", "days"])
            .transform_calculate(
                statistic="datum.statistic == 'median' ? 'Median' : '90th percentile'"
            )
            .mark_point(filled=True, size=70, opacity=1)
            .encode(
                x="days:Q",
                color=alt.Color(
                    "statistic:N",
                    title=None,
                    scale=alt.Scale(
                        domain=["Median", "90th percentile"], range=["#ff7a59", "#516f90"]
                    ),
                ),
                shape=alt.Shape(
                    "statistic:N",
                    title=None,
                    scale=alt.Scale(
                        domain=["Median", "90th percentile"], range=["circle", "diamond"]
                    ),
                ),
                tooltip=tooltip,
            )
        )
        blocks.append(
            page.chart(
                "chart-reply-times",
                _container(alt.layer(span, points), 26 * max(len(values), 1) + 10),
                title="Time to first reply per sequence",
                note="From the enrollment's first email to its first qualifying reply."
                + (
                    f" The {len(top.rows):,} of {top.total:,} sequences with the most timed "
                    "replies; the last row pools the replies of all the others."
                    if top.other is not None
                    else ""
                ),
            )
        )
    else:
        blocks.append(_missing("sequence_reply_times"))

    if wh.has("sequence_reply_rate_by_send_time"):
        rows = wh.rows(
            """
            select first_email_weekday as weekday, any_value(first_email_weekday_name) as day,
                first_email_hour as hour, sum(enrollments) as enrollments,
                sum(replied_count) as replied
            from marts.sequence_reply_rate_by_send_time
            group by 1, 3
            order by 1, 3
            """
        )
        values = [
            {
                **row,
                "rate": row["replied"] / row["enrollments"] if row["enrollments"] else None,
            }
            for row in rows
        ]
        day_order = [row["day"] for row in sorted(rows, key=lambda r: r["weekday"])]
        heat = (
            alt.Chart(page.data(values))
            .mark_rect(cornerRadius=2)
            .encode(
                x=alt.X(
                    "hour:O",
                    title="hour of first email",
                    axis=alt.Axis(labelAngle=0),
                    scale=alt.Scale(domain=list(range(24))),
                ),
                y=alt.Y("day:N", title=None, sort=list(dict.fromkeys(day_order))),
                color=alt.Color(
                    "rate:Q",
                    title="reply rate",
                    scale=alt.Scale(scheme="oranges"),
                    legend=alt.Legend(
                        **chart_format("rate0"), orient="right", direction="vertical"
                    ),
                ),
                tooltip=[
                    alt.Tooltip("day:N", title="Weekday"),
                    alt.Tooltip("hour:O", title="Hour"),
                    alt.Tooltip("rate:Q", title="Reply rate", **chart_format("rate")),
                    alt.Tooltip("replied:Q", title="Replied", **chart_format("count")),
                    alt.Tooltip("enrollments:Q", title="Enrollments", **chart_format("count")),
                ],
            )
        )
        blocks.append(
            page.chart(
                "chart-reply-heatmap",
                _container(heat, 200),
                title="Reply rate by weekday and hour of the first email",
                note="All sequences together; pale cells have few enrollments behind them "
                "(see the tooltip).",
            )
        )
    else:
        blocks.append(_missing("sequence_reply_rate_by_send_time"))

    if wh.has("sequence_enrollment_cohorts"):
        rows = wh.rows(
            """
            with incomplete as (
                -- cohorts with a day not yet elapsed: left out, so each curve keeps its
                -- members (few, so the anti join below costs one pass over the mart)
                select distinct sequence_id, cohort_week
                from marts.sequence_enrollment_cohorts
                where observed_enrollments <> cohort_enrollments
            ),
            by_quarter as (
                -- grouped by the quarter's first day; its label is made once per group
                select date_trunc('quarter', cohort_week) as quarter_start,
                    days_since_enrollment as day,
                    sum(replied_count) as replied,
                    sum(meeting_count) as meetings,
                    sum(cohort_enrollments) as enrollments
                from marts.sequence_enrollment_cohorts
                anti join incomplete using (sequence_id, cohort_week)
                where sequence_id is not null and cohort_week is not null
                group by 1, 2
            )
            select strftime(quarter_start, '%Y') || ' Q'
                    || cast(quarter(quarter_start) as varchar) as cohort,
                day, replied, meetings, enrollments
            from by_quarter
            order by 1, 2
            """
        )
        values = [
            {
                **row,
                "reply_rate": row["replied"] / row["enrollments"] if row["enrollments"] else None,
                "meeting_rate": row["meetings"] / row["enrollments"]
                if row["enrollments"]
                else None,
            }
            for row in rows
        ]
        curves = (
            alt.Chart(page.data(values))
            .mark_line(interpolate="step-after")
            .encode(
                x=alt.X("day:Q", title="days since enrollment"),
                y=alt.Y(
                    "reply_rate:Q", title="replied so far", axis=alt.Axis(**chart_format("rate0"))
                ),
                color=alt.Color(
                    "cohort:O",
                    title="enrolled in",
                    scale=alt.Scale(scheme="viridis"),
                    legend=alt.Legend(orient="right", direction="vertical"),
                ),
                tooltip=[
                    alt.Tooltip("cohort:O", title="Cohort"),
                    alt.Tooltip("day:Q", title="Day"),
                    alt.Tooltip("reply_rate:Q", title="Replied", **chart_format("rate")),
                    alt.Tooltip("meeting_rate:Q", title="Booked a meeting", **chart_format("rate")),
                    alt.Tooltip("enrollments:Q", title="Enrollments", **chart_format("count")),
                ],
            )
        )
        blocks.append(
            page.chart(
                "chart-cohorts",
                _container(curves, 220),
                title="Reply curves by enrollment quarter",
                note="Share of each quarter's enrollments that has replied by each day after "
                "enrolling; only cohorts whose whole curve has elapsed are drawn.",
            )
        )
    else:
        blocks.append(_missing("sequence_enrollment_cohorts"))

    if wh.has("sequence_bot_activity"):
        top = _top(
            wh,
            "select * from marts.sequence_bot_activity",
            key="sequence_id",
            order="opens_with_bots desc, sequence_id",
            n=page.limits.rows,
            sums=("bot_opens", "opens_with_bots", "bot_clicks", "clicks_with_bots"),
        )
        names = _sequence_names(wh, top.ids)
        shown = [(names.get(row["sequence_id"], row["sequence_name"]), row) for row in top.rows]
        if top.other is not None:
            other = top.other
            other["bot_open_share"] = _ratio(other["bot_opens"], other["opens_with_bots"])
            other["bot_click_share"] = _ratio(other["bot_clicks"], other["clicks_with_bots"])
            shown.append((_other_label(top, "sequences"), other))
        values = [
            {
                "sequence": label,
                "event": event,
                "share": row[f"bot_{key}_share"],
                "bots": row[f"bot_{key}s"],
                "all": row[f"{key}s_with_bots"],
            }
            for label, row in shown
            for key, event in (("open", "Opens"), ("click", "Clicks"))
        ]
        bots = (
            alt.Chart(page.data(values))
            .mark_bar(cornerRadiusEnd=2, height={"band": 1})
            .encode(
                y=alt.Y("sequence:N", title=None, sort=[label for label, _row in shown]),
                yOffset=alt.YOffset("event:N", sort=["Opens", "Clicks"]),
                x=alt.X("share:Q", title="share from bots", axis=alt.Axis(**chart_format("rate0"))),
                color=alt.Color(
                    "event:N",
                    title=None,
                    scale=alt.Scale(domain=["Opens", "Clicks"], range=["#0091ae", "#6a78d1"]),
                ),
                tooltip=[
                    alt.Tooltip("sequence:N", title="Sequence"),
                    alt.Tooltip("event:N", title="Events"),
                    alt.Tooltip("share:Q", title="From bots", **chart_format("rate")),
                    alt.Tooltip("bots:Q", title="Bot events", **chart_format("count")),
                    alt.Tooltip("all:Q", title="All events", **chart_format("count")),
                ],
            )
        )
        blocks.append(
            page.chart(
                "chart-bot-activity",
                _container(bots, 30 * len(shown) + 10),
                title="Bot opens and clicks, removed from every figure",
                note="Share of raw open and click events flagged as bots (security scanners, "
                "link checkers)."
                + (
                    f" The {len(top.rows):,} of {top.total:,} sequences with the most opens; "
                    "the last row sums the others."
                    if top.other is not None
                    else ""
                ),
            )
        )
    else:
        blocks.append(_missing("sequence_bot_activity"))

    grid = "".join(
        f'<div class="grid-2">{"".join(blocks[i : i + 2])}</div>' for i in range(0, len(blocks), 2)
    )
    return _panel(
        "seq-beyond",
        "Reply timing, cohorts and bots",
        "Views HubSpot does not offer: how long replies take, when a first email gets the most "
        "replies, how cohorts reply over their first weeks, and how much bot traffic was "
        "filtered out.",
        grid,
        beyond=True,
    )


# --------------------------------------------------------------------------- campaigns


def _campaign_options(wh: _Warehouse, limit: int) -> tuple[list[tuple[str, str]], int]:
    """The campaign selector's options: the `limit` with the most sessions, and of how many."""
    top = _top(
        wh,
        "select campaign_id, sessions from marts.campaign_overview",
        key="campaign_id",
        order="sessions desc, campaign_id",
        n=limit,
    )
    names = _campaign_names(wh, top.ids)
    return [(row["campaign_id"], names[row["campaign_id"]]) for row in top.rows], top.total


def _goal_card(label: str, metric: str, value: Any, goal: Any, share: Any) -> str:
    if goal is None:
        sub = "no goal set"
        bar = None
    else:
        sub = (
            f'goal <span data-role="goal">{glance(goal)}</span> \u00b7 '
            f'<span data-role="goal_share">{fmt_rate(share)}</span> reached'
        )
        bar = float(share) if share is not None else 0.0
    return _card(label, glance(value), sub, metric=metric, headline=True, goal_share=bar)


def _campaign_overview(wh: _Warehouse, page: _Page) -> str:
    source = """
        select o.*, r.revenue, r.deals_with_revenue, r.contacts_with_revenue
        from marts.campaign_overview as o
        left join marts.campaign_revenue as r using (campaign_id)
    """
    # cards for the selector's campaigns, the table for the most sessions and the rest summed
    option_ids = [campaign_id for campaign_id, _name in page.campaigns]
    by_id = {
        row["campaign_id"]: row
        for row in wh.rows(
            source + " where o.campaign_id in (select unnest(?::varchar[]))", [option_ids]
        )
    }
    top = _top(
        wh,
        source,
        key="campaign_id",
        order="sessions desc, campaign_id",
        n=page.limits.rows,
        sums=CAMPAIGN_COUNTS,
    )
    rows = top.rows
    names = _names(wh, CAMPAIGNS, top.ids)
    blocks = []
    for row in (by_id[campaign_id] for campaign_id in option_ids):
        cards = [
            _goal_card(
                "Sessions",
                "sessions",
                row["sessions"],
                row["goal_sessions"],
                row["sessions_goal_share"],
            ),
            _goal_card(
                "New contacts (first touch)",
                "new_contacts_first_touch",
                row["new_contacts_first_touch"],
                row["goal_new_contacts"],
                row["new_contacts_goal_share"],
            ),
            _card(
                "New contacts (last touch)",
                glance(row["new_contacts_last_touch"]),
                "last interaction before creation",
                metric="new_contacts_last_touch",
                headline=True,
            ),
            _goal_card(
                "Influenced contacts",
                "influenced_contacts",
                row["influenced_contacts"],
                row["goal_influenced_contacts"],
                row["influenced_contacts_goal_share"],
            ),
            _card(
                "Spend", glance(row["spend"], money=True), "sum of recorded spend", metric="spend"
            ),
            _card(
                "Cost per new contact",
                glance(row["cost_per_new_contact"], money=True),
                "spend / new contacts (first touch)",
                metric="cost_per_new_contact",
            ),
            _card(
                "Revenue (linear)",
                glance(row["revenue"], money=True),
                f'<span data-role="deals">{glance(row["deals_with_revenue"])}</span> deals, '
                f'<span data-role="contacts">{glance(row["contacts_with_revenue"])}</span> '
                "contacts",
                metric="revenue",
            ),
            _card(
                "ROI",
                fmt_rate(row["roi"]),
                "(linear revenue \u2212 spend) / spend",
                metric="roi",
            ),
        ]
        blocks.append(
            f'<div class="cards" data-testid="campaign-cards" '
            f'data-campaign="{esc(row["campaign_id"])}" '
            f"{page.shown('campaign', row['campaign_id'])}>{''.join(cards)}</div>"
        )
    selectable = set(option_ids)

    def table_row(row: Row) -> str:
        if row.get("items"):
            head = f'<tr class="other" data-other="{row["items"]}">' + _other_cell(
                _other_label(top, "campaigns")
            )
        elif row["campaign_id"] in selectable:
            head = (
                '<tr class="clickable" data-set-param="campaign" '
                f'data-set-value="{esc(row["campaign_id"])}" '
                f'data-campaign="{esc(row["campaign_id"])}">'
                f"<td>{esc(label_text(names, row['campaign_id']))}</td>"
            )
        else:
            head = (
                f'<tr data-campaign="{esc(row["campaign_id"])}">'
                f"<td>{esc(label_text(names, row['campaign_id']))}</td>"
            )
        return head + _campaign_figures(row) + "</tr>"

    other = top.other
    if other is not None:
        # the other row: sums, and cost and ROI recomputed from them (no goal: goals are
        # per campaign)
        for share in ("sessions", "new_contacts", "influenced_contacts"):
            other[f"{share}_goal_share"] = None
        other["cost_per_new_contact"] = _ratio(
            other["spend"] or None, other["new_contacts_first_touch"]
        )
        other["roi"] = _ratio(
            (other["linear_attributed_revenue"] or 0) - (other["spend"] or 0), other["spend"]
        )
    table_rows = "".join(table_row(row) for row in [*rows, *([other] if other else [])])
    table = _table(
        [
            ("Campaign", False),
            ("Sessions", True),
            ("New contacts (first)", True),
            ("New contacts (last)", True),
            ("Influenced", True),
            ("Spend", True),
            ("Cost / new contact", True),
            ("Revenue (linear)", True),
            ("ROI", True),
        ],
        f"<tbody>{table_rows}</tbody>",
        attrs='data-testid="campaign-table"',
    )
    controls = f'<div class="controls">{_campaign_select(page)}</div>'
    return _panel(
        "cmp-overview",
        "Campaign overview",
        "Sessions on the campaign's web assets, new contacts it brought (first or last touch), "
        "contacts it influenced, each against its goal; spend and return. All time, activity "
        "counted from each asset's association on.",
        controls
        + "".join(blocks)
        + '<h4>All campaigns</h4><p class="chart-note">Click a row to select the campaign; '
        "goal shares are shown below the figures.</p>"
        + _top_note(top, "campaigns", "sessions")
        + table,
        testid="campaign-overview",
    )


CAMPAIGN_COUNTS: tuple[str, ...] = (
    "sessions",
    "new_contacts_first_touch",
    "new_contacts_last_touch",
    "influenced_contacts",
    "spend",
    "linear_attributed_revenue",
    "revenue",
    "deals_with_revenue",
    "contacts_with_revenue",
)


def _campaign_figures(row: Row) -> str:
    return (
        _num(fmt_count(row["sessions"]), "sessions", _goal_text(row["sessions_goal_share"]))
        + _num(
            fmt_count(row["new_contacts_first_touch"]),
            "new_contacts_first_touch",
            _goal_text(row["new_contacts_goal_share"]),
        )
        + _num(fmt_count(row["new_contacts_last_touch"]), "new_contacts_last_touch")
        + _num(
            fmt_count(row["influenced_contacts"]),
            "influenced_contacts",
            _goal_text(row["influenced_contacts_goal_share"]),
        )
        + _num(fmt_money(row["spend"]), "spend")
        + _num(fmt_money(row["cost_per_new_contact"]), "cost_per_new_contact")
        + _num(fmt_money(row["revenue"]), "revenue")
        + _num(fmt_rate(row["roi"]), "roi")
    )


def _goal_text(share: Any) -> str | None:
    return None if share is None else f"{fmt_rate(share)} of goal"


def _contacts_and_sessions(wh: _Warehouse, page: _Page) -> str:
    metrics = (
        ("sessions", "Sessions"),
        ("new_contacts_first_touch", "New contacts (first touch)"),
        ("new_contacts_last_touch", "New contacts (last touch)"),
        ("influenced_contacts", "Influenced contacts"),
    )
    # Days (months) without activity have no row in the marts: fill them with zeros, from
    # the campaign's first active day to the last day of any campaign, so lines drop to 0.
    # One row per campaign and frequency, each figure an array over the days (months) from
    # the first: the chart flattens them (the page holds numbers, not one object per day).
    filled = ", ".join(
        f"list(coalesce(m.{key}, 0) order by s.day) as {key}" for key, _label in metrics
    )
    series = []
    for freq, mart, column, step in (
        ("daily", "campaign_daily", "activity_date", "1 day"),
        ("monthly", "campaign_monthly", "activity_month", "1 month"),
    ):
        series.append(
            f"""
            select s.campaign_id, '{freq}' as freq, min(s.day) as start, count(*) as days,
                {filled}
            from (
                select campaign_id, cast(unnest(generate_series(
                    cast(min({column}) as timestamp),
                    cast((select max({column}) from marts.{mart}) as timestamp),
                    interval {step}
                )) as date) as day
                from marts.{mart}
                where campaign_id in (select unnest($ids::varchar[]))
                group by campaign_id
            ) as s
            left join marts.{mart} as m
                on m.campaign_id = s.campaign_id and m.{column} = s.day
            group by s.campaign_id
            """
        )
    rows = wh.con.execute(
        " union all ".join(series) + " order by 1, 2",
        {"ids": [campaign_id for campaign_id, _name in page.campaigns]},
    ).fetchall()
    keys = [key for key, _label in metrics]
    values = [
        {
            "campaign_id": campaign_id,
            "freq": freq,
            "start": start.isoformat(),
            "i": list(range(days)),
            **{key: [int(v) for v in figure] for key, figure in zip(keys, figures, strict=True)},
        }
        for campaign_id, freq, start, days, *figures in rows
    ]
    labels = {key: label for key, label in metrics}
    base = (
        alt.Chart(page.data(values))
        .transform_filter("datum.campaign_id == campaign && datum.freq == freq")
        .transform_flatten(["i", *keys])
        .transform_calculate(
            day="utcOffset(datum.freq == 'daily' ? 'date' : 'month', toDate(datum.start), datum.i)"
        )
        .transform_fold(keys, as_=["metric", "value"])
        .transform_calculate(
            metric=" : ".join(f"datum.metric == '{key}' ? '{label}'" for key, label in metrics)
            + " : datum.metric"
        )
        .encode(
            x=alt.X(
                "day:T",
                timeUnit="utcyearmonthdate",
                title=None,
                axis=alt.Axis(format="%b %Y", labelAngle=0, tickCount=8),
            ),
            y=alt.Y("value:Q", title=None, axis=alt.Axis(**chart_format("compact"), tickMinStep=1)),
            color=alt.Color("metric:N", title=None, sort=list(labels.values())),
            tooltip=[
                alt.Tooltip("day:T", timeUnit="utcyearmonthdate", title="Day", format="%Y-%m-%d"),
                alt.Tooltip("metric:N", title="Metric"),
                alt.Tooltip("value:Q", title="Value", **chart_format("count")),
            ],
        )
    )
    lines = base.mark_line(strokeWidth=1.6)
    points = base.mark_point(filled=True, size=30, opacity={"expr": "freq == 'monthly' ? 1 : 0"})
    slot = page.chart(
        "chart-contacts-sessions",
        _container(alt.layer(lines, points), 260),
        params=("campaign", "freq"),
    )
    controls = (
        '<div class="controls">'
        + _campaign_select(page)
        + _segmented(page, "freq", "Frequency", [("daily", "Daily"), ("monthly", "Monthly")])
        + "</div>"
    )
    return _panel(
        "cmp-contacts-sessions",
        "Contacts and sessions",
        "Sessions, new contacts and influenced contacts of the selected campaign over time "
        "(influenced contacts counted on the day of their first touch with it).",
        controls + slot,
        testid="contacts-sessions",
    )


def _traffic(wh: _Warehouse, page: _Page) -> str:
    campaigns = page.campaigns
    ids = [campaign_id for campaign_id, _name in campaigns]
    # each category's total row, and its details (term, platform, source / medium): the
    # ones with the most sessions, the rest summed
    rows = wh.rows(
        "select * from marts.campaign_traffic where source_detail = '(all)' "
        "and campaign_id in (select unnest(?::varchar[])) order by campaign_id, source_category",
        [ids],
    )
    detail_tops = _top_groups(
        wh,
        "select * from marts.campaign_traffic where source_detail <> '(all)' "
        "and campaign_id in (select unnest(?::varchar[]))",
        key="source_detail",
        by=("campaign_id", "source_category"),
        order="sessions desc, source_detail",
        n=page.limits.details,
        sums=("views", "sessions", "new_visitor_sessions", "new_contacts_first_touch"),
        params=[ids],
    )
    present = {
        (r["campaign_id"], r["source_category"]) for r in rows if r["source_detail"] == "(all)"
    }
    chart_values = [
        {
            "campaign_id": r["campaign_id"],
            "category": dict(SOURCE_CATEGORIES).get(r["source_category"], r["source_category"]),
            "sessions": r["sessions"],
            "views": r["views"],
            "new_visitor_sessions": r["new_visitor_sessions"],
            "new_contacts": r["new_contacts_first_touch"],
        }
        for r in rows
        if r["source_detail"] == "(all)"
    ]
    # Every campaign gets every category, zero where it had no such traffic.
    for campaign_id, _name in campaigns:
        for category, label in SOURCE_CATEGORIES:
            if (campaign_id, category) not in present:
                chart_values.append(
                    {
                        "campaign_id": campaign_id,
                        "category": label,
                        "sessions": 0,
                        "views": 0,
                        "new_visitor_sessions": 0,
                        "new_contacts": 0,
                    }
                )
    base = (
        alt.Chart(page.data(chart_values))
        .transform_filter("datum.campaign_id == campaign")
        .encode(
            y=alt.Y("category:N", title=None, sort=[label for _c, label in SOURCE_CATEGORIES]),
            x=alt.X(
                "sessions:Q",
                title="sessions",
                axis=alt.Axis(**chart_format("compact"), tickMinStep=1),
                scale=alt.Scale(domainMin=0),
            ),
        )
    )
    bars = base.mark_bar(cornerRadiusEnd=2, color="#0091ae").encode(
        tooltip=[
            alt.Tooltip("category:N", title="Source"),
            alt.Tooltip("views:Q", title="Views", **chart_format("count")),
            alt.Tooltip("sessions:Q", title="Sessions", **chart_format("count")),
            alt.Tooltip(
                "new_visitor_sessions:Q", title="New visitor sessions", **chart_format("count")
            ),
            alt.Tooltip(
                "new_contacts:Q", title="New contacts (first touch)", **chart_format("count")
            ),
        ]
    )
    text = base.mark_text(align="left", dx=4).encode(
        text=alt.Text("sessions:Q", **chart_format("compact"))
    )
    # keeps a readable axis (0..10 or wider) when a campaign had few or no such sessions
    floor = alt.Chart(alt.Data(values=[{"x": 10}])).mark_rule(opacity=0).encode(x="x:Q")
    slot = page.chart(
        "chart-traffic", _container(alt.layer(bars, text, floor), 240), params=("campaign",)
    )

    bodies = []
    for campaign_id, _name in campaigns:
        lines = []
        mine = [r for r in rows if r["campaign_id"] == campaign_id]
        for category, label in SOURCE_CATEGORIES:
            total = next(
                (
                    r
                    for r in mine
                    if r["source_category"] == category and r["source_detail"] == "(all)"
                ),
                None,
            )
            detail_top = detail_tops.get((campaign_id, category), _Top([], None, 0))
            details = detail_top.rows
            key = f"{campaign_id}|{category}"
            parent = ' class="drill-parent"' if details else ""
            figures = total or {
                "views": 0,
                "sessions": 0,
                "new_visitor_sessions": 0,
                "new_contacts_first_touch": 0,
            }
            lines.append(
                f'<tr{parent} data-drill="{esc(key)}" data-category="{category}">'
                f"<td>{esc(label)}</td>" + _traffic_cells(figures) + "</tr>"
            )
            for detail in details:
                lines.append(
                    f'<tr class="drill" data-drill="{esc(key)}" hidden>'
                    f"<td>{esc(detail['source_detail'])}</td>" + _traffic_cells(detail) + "</tr>"
                )
            if detail_top.other is not None:
                lines.append(
                    f'<tr class="drill other" data-drill="{esc(key)}" '
                    f'data-other="{detail_top.other["items"]}" hidden>'
                    + _other_cell(_other_label(detail_top, "sources"))
                    + _traffic_cells(detail_top.other)
                    + "</tr>"
                )
        bodies.append(f"<tbody {page.shown('campaign', campaign_id)}>{''.join(lines)}</tbody>")
    table = _table(
        [
            ("Source", False),
            ("Views", True),
            ("Sessions", True),
            ("New visitor sessions", True),
            ("New contacts (first touch)", True),
        ],
        "".join(bodies),
        attrs='data-testid="traffic-table"',
    )
    notes = "".join(
        f'<p class="note-missing" {page.shown("campaign", campaign_id)}>No session carried this '
        "campaign's UTM campaign parameter.</p>"
        for campaign_id, _name in campaigns
        if not any(r["sessions"] for r in rows if r["campaign_id"] == campaign_id)
    )
    controls = f'<div class="controls">{_campaign_select(page)}</div>' + notes
    return _panel(
        "cmp-traffic",
        "Traffic by source",
        "Sessions that carried the campaign's UTM campaign parameter, by source. Click paid "
        "search, organic social or other campaigns in the table to break them down by term, "
        f"platform or source / medium (the {page.limits.details} with the most sessions; "
        "the others summed in one row).",
        controls + '<div class="grid-2">' + slot + f"<div>{table}</div></div>",
        testid="traffic",
    )


def _traffic_cells(row: Row) -> str:
    return (
        _num(fmt_count(row["views"]), "views")
        + _num(fmt_count(row["sessions"]), "sessions")
        + _num(fmt_count(row["new_visitor_sessions"]), "new_visitor_sessions")
        + _num(fmt_count(row["new_contacts_first_touch"]), "new_contacts_first_touch")
    )


def _assets(wh: _Warehouse, page: _Page) -> str:
    groups: tuple[tuple[str, tuple[str, ...], list[tuple[str, str, Callable[[Row], str]]]], ...] = (
        (
            "Web pages",
            ("LANDING_PAGE", "WEBSITE_PAGE", "BLOG_POST"),
            [
                ("Views", "views", lambda r: fmt_count(r["views"])),
                ("Sessions", "sessions", lambda r: fmt_count(r["sessions"])),
                (
                    "New visitor sessions",
                    "new_visitor_sessions",
                    lambda r: fmt_count(r["new_visitor_sessions"]),
                ),
            ],
        ),
        (
            "Forms",
            ("FORM",),
            [
                ("Submissions", "submissions", lambda r: fmt_count(r["submissions"])),
                (
                    "Submitting contacts",
                    "submitting_contacts",
                    lambda r: fmt_count(r["submitting_contacts"]),
                ),
            ],
        ),
        (
            "Marketing emails",
            ("MARKETING_EMAIL",),
            [
                ("Delivered", "delivered", lambda r: fmt_count(r["delivered"])),
                ("Opened", "opens", lambda r: fmt_count(r["opens"])),
                ("Open rate", "open_rate", lambda r: fmt_rate(r["open_rate"])),
                ("Clicked", "clicks", lambda r: fmt_count(r["clicks"])),
                ("Click rate", "click_rate", lambda r: fmt_rate(r["click_rate"])),
                ("Bounces", "bounces", lambda r: fmt_count(r["bounces"])),
                ("Unsubscribes", "unsubscribes", lambda r: fmt_count(r["unsubscribes"])),
            ],
        ),
        (
            "Ads, social posts and CTAs",
            ("AD", "SOCIAL_POST", "CTA"),
            [
                ("Clicks", "clicks", lambda r: fmt_count(r["clicks"])),
                (
                    "Clicking contacts",
                    "clicking_contacts",
                    lambda r: fmt_count(r["clicking_contacts"]),
                ),
            ],
        ),
    )
    # Each group of each selectable campaign: the assets with the most of the group's first
    # figure (views, submissions, deliveries, clicks), the others summed in one row.
    group_of = " ".join(
        f"when asset_type in ({', '.join(repr(t) for t in types)}) then '{title}'"
        for title, types, _columns in groups
    )
    metric_of = " ".join(
        f"when '{title}' then {columns[0][1]}" for title, _types, columns in groups
    )
    ids = [campaign_id for campaign_id, _name in page.campaigns]
    tops = _top_groups(
        wh,
        f"""
        select *, case asset_group {metric_of} end as group_metric
        from (
            select *, case {group_of} end as asset_group
            from marts.campaign_asset_performance
            where campaign_id in (select unnest(?::varchar[]))
        )
        where asset_group is not null
        """,
        key="asset_id",
        by=("campaign_id", "asset_group"),
        order="group_metric desc nulls last, asset_type, asset_name, asset_id",
        n=page.limits.details,
        sums=ASSET_COUNTS,
        params=[ids],
    )
    blocks = []
    for campaign_id in ids:
        parts = []
        for title, _types, columns in groups:
            top = tops.get((campaign_id, title))
            if top is None:
                continue
            body = "".join(
                f'<tr data-asset="{esc(r["asset_id"])}"><td>{esc(r["asset_name"] or r["asset_id"])}'
                f"</td><td>{esc(ASSET_LABELS.get(r['asset_type'], r['asset_type']))}</td>"
                + "".join(_num(render(r), key) for _h, key, render in columns)
                + "</tr>"
                for r in top.rows
            )
            if top.other is not None:
                other = top.other
                other["open_rate"] = _ratio(other["opens"], other["delivered"])
                other["click_rate"] = _ratio(other["clicks"], other["delivered"])
                body += (
                    f'<tr class="other" data-other="{other["items"]}">'
                    + _other_cell(_other_label(top, "assets"))
                    + f"<td>{DASH}</td>"
                    + "".join(_num(render(other), key) for _h, key, render in columns)
                    + "</tr>"
                )
            parts.append(
                f"<h4>{esc(title)}</h4>"
                + _table(
                    [("Asset", False), ("Type", False), *((h, True) for h, _k, _r in columns)],
                    f"<tbody>{body}</tbody>",
                )
            )
        if not parts:
            parts.append('<p class="chart-note">This campaign has no assets.</p>')
        blocks.append(
            f'<div data-testid="asset-tables" {page.shown("campaign", campaign_id)}>'
            + "".join(parts)
            + "</div>"
        )
    controls = f'<div class="controls">{_campaign_select(page)}</div>'
    return _panel(
        "cmp-assets",
        "Assets",
        "The assets of the selected campaign over their whole history (association aside): "
        "web pages, forms, marketing emails, and ads, social posts and CTAs. Each kind lists "
        f"its {page.limits.details} assets with the most views, submissions, deliveries or "
        "clicks and sums the others in one row.",
        controls + "".join(blocks),
    )


ASSET_COUNTS: tuple[str, ...] = (
    "views",
    "sessions",
    "new_visitor_sessions",
    "submissions",
    "submitting_contacts",
    "sent",
    "delivered",
    "opens",
    "clicks",
    "bounces",
    "unsubscribes",
    "clicking_contacts",
)


def _model_label(model: str) -> str:
    labels = dict(MODELS) | dict(DATA_DRIVEN_MODELS)
    return labels.get(model, model.replace("_", " ").capitalize())


CREDIT_OF_KIND = (
    "case {kind} when 'CONTACT_CREATE' then {a}.attributed_contacts "
    "when 'DEAL_CREATE' then {a}.attributed_deals when 'REVENUE' then {a}.attributed_revenue end"
)


def _attribution(wh: _Warehouse, page: _Page) -> str:
    known = [model for model, _label in MODELS]
    in_data = [
        row["attribution_model"]
        for row in wh.rows("select distinct attribution_model from marts.attribution_summary")
    ]
    models = [m for m in known if m in in_data] + sorted(m for m in in_data if m not in known)
    model_options = [(model, _model_label(model)) for model in models]
    kind_options = [(kind, label) for kind, label, _column in KINDS]
    kinds = [kind for kind, _label, _column in KINDS]
    summary = {
        (r["conversion_kind"], r["attribution_model"]): r
        for r in wh.rows("select * from marts.attribution_summary")
    }
    limits = page.limits

    # The per-campaign table: for each kind and model, every campaign (zero credit where it
    # has none) ranked by its credit; the first ones shown, the others summed in one row.
    table_tops = _top_groups(
        wh,
        f"""
        select o.campaign_id, o.sessions, k.kind as conversion_kind,
            m.model as attribution_model,
            coalesce({CREDIT_OF_KIND.format(kind="k.kind", a="a")}, 0) as credit,
            coalesce(a.conversions_touched, 0) as conversions_touched,
            a.associated_deal_value, a.contacts_with_revenue
        from marts.campaign_overview as o
        cross join (select unnest(?::varchar[]) as kind) as k
        cross join (select unnest(?::varchar[]) as model) as m
        left join marts.campaign_attribution as a
            on a.campaign_id = o.campaign_id
            and a.conversion_kind = k.kind
            and a.attribution_model = m.model
        """,
        key="campaign_id",
        by=("conversion_kind", "attribution_model"),
        order="credit desc, sessions desc, campaign_id",
        n=limits.rows,
        sums=("credit", "conversions_touched", "associated_deal_value", "contacts_with_revenue"),
        params=[kinds, models],
    )
    # The bar chart: the credited campaigns of each kind and model, the most credit first.
    chart_tops = _top_groups(
        wh,
        f"""
        select a.*, {CREDIT_OF_KIND.format(kind="a.conversion_kind", a="a")} as credit
        from marts.campaign_attribution as a
        """,
        key="campaign_id",
        by=("conversion_kind", "attribution_model"),
        order="credit desc, campaign_id",
        n=limits.rows,
        sums=("credit", "conversions_touched"),
    )
    # The line chart: per kind, the campaigns with the most linear credit, under every model.
    line_tops = _top_groups(
        wh,
        f"""
        select campaign_id, conversion_kind,
            coalesce(sum(credit) filter (where attribution_model = 'LINEAR'), 0)
                as linear_credit,
            max(credit) as highest_credit
        from (
            select *, {CREDIT_OF_KIND.format(kind="conversion_kind", a="a")} as credit
            from marts.campaign_attribution as a
        )
        group by campaign_id, conversion_kind
        """,
        key="campaign_id",
        by=("conversion_kind",),
        order="linear_credit desc, highest_credit desc, campaign_id",
        n=limits.lines,
    )
    line_keys = {
        (kind, campaign_id) for (kind,), top in line_tops.items() for campaign_id in top.ids
    }
    line_rows = [
        row
        for row in wh.rows(
            f"""
            select a.*, {CREDIT_OF_KIND.format(kind="a.conversion_kind", a="a")} as credit
            from marts.campaign_attribution as a
            where campaign_id in (select unnest(?::varchar[]))
            order by conversion_kind, campaign_id, attribution_model_order
            """,
            [sorted({campaign_id for _kind, campaign_id in line_keys})],
        )
        if (row["conversion_kind"], row["campaign_id"]) in line_keys
    ]
    campaign_names = _campaign_names(
        wh,
        [
            *(i for top in table_tops.values() for i in top.ids),
            *(i for top in chart_tops.values() for i in top.ids),
            *(campaign_id for _kind, campaign_id in line_keys),
        ],
    )

    # Summary cards and the per-campaign table: one block per kind, one body per model.
    summary_blocks = []
    tables = []
    campaign_total = 0
    for kind, _kind_label, _column in KINDS:
        unit = KIND_UNITS[kind]
        cards = []
        bodies = []
        for model in models:
            s = summary.get((kind, model))
            if s is not None:
                campaign_share = (
                    s["campaign_value"] / float(s["total_value"]) if s["total_value"] else None
                )
                cards.append(
                    f'<div class="cards" data-testid="attribution-summary" '
                    f"{page.shown('attr_model', model)}>"
                    + _card(
                        "Conversions",
                        glance(s["conversions"]),
                        f"{glance(s['conversions_unattributed'])} without any touchpoint",
                        metric="conversions",
                    )
                    + _card(
                        "Total value",
                        glance(s["total_value"], money=kind == "REVENUE"),
                        unit,
                        metric="total_value",
                    )
                    + _card(
                        "Credited to campaigns",
                        glance(s["campaign_value"], money=True),
                        f"{fmt_rate(campaign_share)} of the total",
                        metric="campaign_value",
                        headline=True,
                    )
                    + _card(
                        "Credited to no campaign",
                        glance(s["non_campaign_value"], money=True),
                        "touchpoints of no campaign, sales meetings",
                        metric="non_campaign_value",
                    )
                    + _card(
                        "Unattributed",
                        glance(s["unattributed_value"], money=True),
                        "conversions without touchpoints",
                        metric="unattributed_value",
                    )
                    + "</div>"
                )
            top = table_tops.get((kind, model), _Top([], None, 0))
            campaign_total = max(campaign_total, top.total)
            lines = []
            for r in [*top.rows, *([top.other] if top.other is not None else [])]:
                if r.get("items"):
                    head = f'<tr class="other" data-other="{r["items"]}">' + _other_cell(
                        _other_label(top, "campaigns")
                    )
                else:
                    name = campaign_names.get(r["campaign_id"], r["campaign_id"])
                    head = f'<tr data-campaign="{esc(r["campaign_id"])}"><td>{esc(name)}</td>'
                cells = _num(fmt_money(r["credit"]), "credit")
                cells += _num(fmt_count(r["conversions_touched"]), "conversions_touched")
                if kind == "REVENUE":
                    cells += _num(fmt_money(r["associated_deal_value"]), "associated_deal_value")
                    cells += _num(fmt_count(r["contacts_with_revenue"]), "contacts_with_revenue")
                lines.append(f"{head}{cells}</tr>")
            bodies.append(
                f'<tbody data-model="{model}" {page.shown("attr_model", model)}>'
                f"{''.join(lines)}</tbody>"
            )
        summary_blocks.append(f"<div {page.shown('attr_kind', kind)}>{''.join(cards)}</div>")
        headers: list[tuple[str, bool]] = [
            ("Campaign", False),
            (f"Attributed {unit}", True),
            ("Conversions touched", True),
        ]
        if kind == "REVENUE":
            headers += [("Associated deal value", True), ("Contacts with revenue", True)]
        tables.append(
            f"<div {page.shown('attr_kind', kind)}>"
            + _table(
                headers,
                "".join(bodies),
                attrs=f'data-testid="attribution-table" data-kind="{kind}"',
            )
            + "</div>"
        )
    table_note = (
        f'<p class="chart-note top-note" data-top="{limits.rows}" data-of="{campaign_total}">'
        f"Top {limits.rows:,} of {campaign_total:,} campaigns by credit under the selected "
        "model; the others are summed in the last row (conversions touched are summed over "
        "campaigns, so a conversion that touched several counts once for each).</p>"
        if campaign_total > limits.rows
        else ""
    )

    # Charts: credit per campaign (selected kind and model), credit across the nine models,
    # and where each model sends the value (campaigns, no campaign, unattributed).
    def credit_value(r: Row, label: str, rank: int) -> Row:
        return {
            "campaign": label,
            "rank": rank,
            "other": bool(r.get("items")),
            "kind": r["conversion_kind"],
            "model": r["attribution_model"],
            "model_label": _model_label(r["attribution_model"]),
            "model_order": models.index(r["attribution_model"])
            if r["attribution_model"] in models
            else len(models),
            "credit": r["credit"],
            "touched": r["conversions_touched"],
        }

    values = []
    bars_shown = 1
    for (kind, model), top in chart_tops.items():
        for r in top.rows:
            values.append(
                credit_value(r, campaign_names.get(r["campaign_id"], r["campaign_id"]), r["_rank"])
            )
        if top.other is not None:
            other = {**top.other, "conversion_kind": kind, "attribution_model": model}
            values.append(credit_value(other, _other_label(top, "campaigns"), len(top.rows) + 1))
        bars_shown = max(bars_shown, len(top.rows) + (top.other is not None))
    credit_tooltip = [
        alt.Tooltip("campaign:N", title="Campaign"),
        alt.Tooltip("model_label:N", title="Model"),
        alt.Tooltip("credit:Q", title="Credit", **chart_format("money")),
        alt.Tooltip("touched:Q", title="Conversions touched", **chart_format("count")),
    ]
    per_campaign_base = (
        alt.Chart(page.data(values))
        .transform_filter("datum.kind == attr_kind && datum.model == attr_model")
        .encode(
            y=alt.Y("campaign:N", title=None, sort=alt.EncodingSortField("rank", op="min")),
            x=alt.X("credit:Q", title="credit", axis=alt.Axis(**chart_format("compact"))),
        )
    )
    per_campaign = alt.layer(
        per_campaign_base.mark_bar(cornerRadiusEnd=2).encode(
            # the bar that sums the campaigns not listed is grey
            color=alt.condition("datum.other", alt.value("#b0c1d4"), alt.value("#ff7a59")),
            tooltip=credit_tooltip,
        ),
        per_campaign_base.mark_text(align="left", dx=4).encode(
            text=alt.Text("credit:Q", **chart_format("money"))
        ),
    )
    line_values = [
        credit_value(r, campaign_names.get(r["campaign_id"], r["campaign_id"]), 0)
        for r in line_rows
    ]
    line_order = list(
        dict.fromkeys(
            campaign_names.get(campaign_id, campaign_id)
            for top in line_tops.values()
            for campaign_id in top.ids
        )
    )
    model_order = [_model_label(m) for m in models]
    comparison_base = alt.Chart(page.data(line_values)).transform_filter("datum.kind == attr_kind")
    comparison = alt.layer(
        comparison_base.transform_filter("datum.model == attr_model")
        .transform_aggregate(groupby=["model_label"], n="count()")
        .mark_rule(color="#ff7a59", strokeDash=[4, 3], strokeWidth=2)
        .encode(x=alt.X("model_label:N", sort=model_order)),
        comparison_base.mark_line(point=alt.OverlayMarkDef(size=40, filled=True)).encode(
            x=alt.X(
                "model_label:N",
                sort=model_order,
                title=None,
                axis=alt.Axis(labelAngle=0),
                scale=alt.Scale(padding=0.6),
            ),
            y=alt.Y("credit:Q", title="credit", axis=alt.Axis(**chart_format("compact"))),
            color=alt.Color("campaign:N", title=None, sort=line_order),
            tooltip=credit_tooltip,
        ),
    )
    lines_left_out = max((top.total - len(top.rows) for top in line_tops.values()), default=0)
    summary_values = [
        {
            "kind": kind,
            "model": model,
            "model_label": _model_label(model),
            "part": part,
            "part_order": order,
            "value": s[key],
        }
        for (kind, model), s in summary.items()
        for order, (key, part) in enumerate(
            (
                ("campaign_value", "Campaigns"),
                ("non_campaign_value", "No campaign"),
                ("unattributed_value", "Unattributed"),
            )
        )
    ]
    split = (
        alt.Chart(page.data(summary_values))
        .transform_filter("datum.kind == attr_kind")
        .mark_bar()
        .encode(
            y=alt.Y("model_label:N", title=None, sort=model_order),
            x=alt.X(
                "value:Q",
                title="share of value",
                stack="normalize",
                axis=alt.Axis(**chart_format("rate0")),
            ),
            color=alt.Color(
                "part:N",
                title=None,
                scale=alt.Scale(
                    domain=["Campaigns", "No campaign", "Unattributed"],
                    range=["#ff7a59", "#516f90", "#cbd6e2"],
                ),
            ),
            order=alt.Order("part_order:Q"),
            opacity={"condition": {"test": "datum.model == attr_model", "value": 1}, "value": 0.5},
            tooltip=[
                alt.Tooltip("model_label:N", title="Model"),
                alt.Tooltip("part:N", title="Credited to"),
                alt.Tooltip("value:Q", title="Value", **chart_format("money")),
            ],
        )
    )
    charts = (
        '<div class="grid-2">'
        + page.chart(
            "chart-attribution-campaigns",
            _container(per_campaign, 30 * bars_shown + 10),
            params=("attr_kind", "attr_model"),
            title="Credit per campaign, selected model",
            note=(
                f"The {limits.rows} campaigns with the most credit; the last bar sums the others."
                if any(top.other is not None for top in chart_tops.values())
                else None
            ),
        )
        + page.chart(
            "chart-attribution-split",
            _container(split, 26 * len(models) + 10),
            params=("attr_kind", "attr_model"),
            title="Where each model sends the value",
        )
        + "</div>"
        + page.chart(
            "chart-attribution-models",
            _container(comparison, 260),
            params=("attr_kind", "attr_model"),
            title="Credit per campaign under each of the nine models",
            note="The dashed line marks the selected model."
            + (
                f" The {limits.lines} campaigns with the most linear credit; the others "
                "(summed in the table below) would flatten the lines."
                if lines_left_out
                else ""
            ),
        )
    )

    comparison_table = ""
    if wh.has("campaign_attribution_comparison"):
        comparison_table = _attribution_comparison(wh, page, models)
    else:
        comparison_table = "<h4>Nine-model comparison</h4>" + _missing(
            "campaign_attribution_comparison"
        )

    controls = (
        '<div class="controls">'
        + _segmented(page, "attr_kind", "Attribution", kind_options)
        + _select(page, "attr_model", "Model", model_options)
        + "</div>"
    )
    return _panel(
        "cmp-attribution",
        "Attribution",
        "Contacts created, deals created and closed-won revenue credited to each campaign's "
        "interactions under the selected attribution model (credit is fractional).",
        controls
        + "".join(summary_blocks)
        + table_note
        + "".join(tables)
        + charts
        + comparison_table,
        testid="attribution",
    )


def _attribution_comparison(wh: _Warehouse, page: _Page, models: Sequence[str]) -> str:
    """Credit per campaign under every model side by side, per kind: the campaigns with the
    most linear credit, the others summed (their spread recomputed from the sums)."""
    cursor = wh.con.execute("select * from marts.campaign_attribution_comparison limit 0")
    present = {column[0] for column in cursor.description}
    columns = [model.lower() for model in models if model.lower() in present]
    tops = _top_groups(
        wh,
        "select * from marts.campaign_attribution_comparison",
        key="campaign_id",
        by=("conversion_kind",),
        order="coalesce(linear, 0) desc, highest_credit desc nulls last, campaign_id",
        n=page.limits.rows,
        sums=columns,
    )
    names = _campaign_names(wh, (i for top in tops.values() for i in top.ids))
    head = "".join(
        f'<th class="num" data-highlight="attr_model" data-value="{model}">'
        f"{esc(_model_label(model))}</th>"
        for model in models
    )
    blocks = []
    note = ""
    for kind, _kind_label, _column in KINDS:
        top = tops.get((kind,), _Top([], None, 0))
        note = note or _top_note(top, "campaigns", "linear credit")
        lines = []
        for r in top.rows:
            name = names.get(r["campaign_id"], r["campaign_name"] or r["campaign_id"])
            lines.append(
                f'<tr data-campaign="{esc(r["campaign_id"])}"><td>{esc(name)}</td>'
                + "".join(
                    f'<td class="num" data-highlight="attr_model" data-value="{model}">'
                    f"{fmt_money(r.get(model.lower()))}</td>"
                    for model in models
                )
                + _num(fmt_money(r["credit_spread"]), "credit_spread")
                + _num(fmt_rate(r["credit_spread_over_linear"]), "credit_spread_over_linear")
                + "</tr>"
            )
        if top.other is not None:
            other = top.other
            credited = [float(other[c]) for c in columns if other[c] is not None]
            spread = max(credited) - min(credited) if credited else None
            lines.append(
                f'<tr class="other" data-other="{other["items"]}">'
                + _other_cell(_other_label(top, "campaigns"))
                + "".join(
                    f'<td class="num" data-highlight="attr_model" data-value="{model}">'
                    f"{fmt_money(other.get(model.lower()))}</td>"
                    for model in models
                )
                + _num(fmt_money(spread), "credit_spread")
                + _num(fmt_rate(_ratio(spread, other.get("linear"))), "credit_spread_over_linear")
                + "</tr>"
            )
        blocks.append(
            f"<div {page.shown('attr_kind', kind)}>"
            + _table(
                [("Campaign", False)],
                f"<tbody>{''.join(lines)}</tbody>",
                head_extra=head + '<th class="num">Spread</th><th class="num">Spread / linear</th>',
                attrs=f'data-testid="attribution-comparison" data-kind="{kind}"',
            )
            + "</div>"
        )
    return (
        '<h4>Nine-model comparison<span class="badge-beyond">beyond HubSpot</span></h4>'
        '<p class="chart-note">Credit per campaign under every model side by side; the '
        "spread (highest minus lowest) shows how much the choice of model matters. The other "
        "campaigns' spread is that of their summed credit.</p>" + note + "".join(blocks)
    )


def _kind_controls(page: _Page) -> str:
    return _segmented(page, "attr_kind", "Attribution", [(k, label) for k, label, _c in KINDS])


def _attribution_by_channel(wh: _Warehouse, page: _Page) -> str:
    """Credit per channel under the selected rule-based model (chart), and every channel's
    share under the nine rule-based models beside the two data-driven ones (chart, table)."""
    model_options = [(model, _model_label(model)) for model, _label in MODELS]
    controls = (
        '<div class="controls">'
        + _kind_controls(page)
        + _select(page, "attr_model", "Model", model_options)
        + "</div>"
    )
    if wh.has("attribution_by_channel"):
        rule_rows = wh.rows(
            "select channel, conversion_kind, attribution_model, credited_value, "
            "share_of_attributed_value, conversions_touched from marts.attribution_by_channel"
        )
        values = [
            {
                "channel": CHANNEL_LABELS.get(r["channel"], r["channel"]),
                "kind": r["conversion_kind"],
                "model": r["attribution_model"],
                "credit": r["credited_value"],
                "share": r["share_of_attributed_value"],
                "touched": r["conversions_touched"],
            }
            for r in rule_rows
        ]
        base = (
            alt.Chart(page.data(values))
            .transform_filter("datum.kind == attr_kind && datum.model == attr_model")
            .encode(
                y=alt.Y(
                    "channel:N",
                    title=None,
                    sort=alt.EncodingSortField("credit", op="sum", order="descending"),
                ),
                x=alt.X("credit:Q", title="credit", axis=alt.Axis(**chart_format("compact"))),
            )
        )
        bars = base.mark_bar(cornerRadiusEnd=2, color="#6a78d1").encode(
            tooltip=[
                alt.Tooltip("channel:N", title="Channel"),
                alt.Tooltip("credit:Q", title="Credit", **chart_format("money")),
                alt.Tooltip("share:Q", title="Share of attributed value", **chart_format("rate")),
                alt.Tooltip("touched:Q", title="Conversions touched", **chart_format("count")),
            ]
        )
        text = base.mark_text(align="left", dx=4).encode(
            text=alt.Text("share:Q", **chart_format("rate"))
        )
        rule_view = page.chart(
            "chart-attribution-channels",
            _container(alt.layer(bars, text), 26 * len({v["channel"] for v in values}) + 10),
            params=("attr_kind", "attr_model"),
            note="Bars show credit; labels the channel's share of all attributed value.",
        )
    else:
        rule_rows = []
        rule_view = _missing("attribution_by_channel")
    return _panel(
        "cmp-channels",
        "Attribution by channel",
        "The same credit, by the channel of each interaction (web sessions by source, forms, "
        "marketing email, ads, social, CTAs, and sales meetings), campaign or not; below, "
        "the two data-driven models beside the nine rule-based ones.",
        controls + rule_view + _data_driven_by_channel(wh, page, rule_rows),
        beyond=True,
    )


def _data_driven_by_channel(wh: _Warehouse, page: _Page, rule_rows: list[Row]) -> str:
    """Per kind, each channel's share under the nine rule-based models (share of attributed
    value, `attribution_by_channel`) and the two data-driven ones (`attribution_data_driven`).

    Both marts hold one row per channel, kind and model (a dozen channels), so they are read
    as they are; channels are those of either mart, a channel without rule-based credit
    getting 0 where the kind has rule-based rows at all.
    """
    heading = (
        '<h4>Data-driven models beside the rule-based ones<span class="badge-beyond">'
        "beyond HubSpot</span></h4>"
    )
    if not wh.has("attribution_data_driven"):
        return heading + _missing("attribution_data_driven")
    dd_rows = wh.rows(
        """
        select conversion_kind, attribution_model, channel, converting_journeys,
            non_converting_journeys, removal_effect, share, credited_conversions, credited_value
        from marts.attribution_data_driven
        """
    )
    rule_models = [model for model, _label in MODELS]
    dd_models = [model for model, _label in DATA_DRIVEN_MODELS]
    rule = {(r["conversion_kind"], r["channel"], r["attribution_model"]): r for r in rule_rows}
    rule_kinds = {r["conversion_kind"] for r in rule_rows}
    dd = {(r["conversion_kind"], r["channel"], r["attribution_model"]): r for r in dd_rows}

    def rule_share(kind: str, channel: str, model: str) -> float | None:
        r = rule.get((kind, channel, model))
        if r is not None:
            return r["share_of_attributed_value"]
        return 0.0 if kind in rule_kinds else None

    def dd_value(kind: str, channel: str, model: str, column: str) -> Any:
        r = dd.get((kind, channel, model))
        return None if r is None else r[column]

    def order(kind: str, channel: str) -> tuple[Any, ...]:
        shares = [dd_value(kind, channel, model, "share") for model in dd_models]
        return (*(-(share or 0.0) for share in shares), channel)

    channels = {
        kind: sorted(
            {channel for k, channel, _m in (*rule, *dd) if k == kind},
            key=lambda channel, kind=kind: order(kind, channel),
        )
        for kind, _label, _column in KINDS
    }

    # The chart: per channel, its share under the selected rule-based model and under the
    # two data-driven models, side by side. One row per kind and channel with every model's
    # share as a field; the chart picks the selected model's and folds the three into bars.
    selected = "Selected rule-based model"
    series = [selected, *(_model_label(model) for model in dd_models)]
    values = []
    for kind, kind_channels in channels.items():
        for channel in kind_channels:
            row: Row = {"kind": kind, "channel": CHANNEL_LABELS.get(channel, channel)}
            for model in rule_models:
                row[model] = rule_share(kind, channel, model)
            for model in dd_models:
                row[model] = dd_value(kind, channel, model, "share")
                row[f"{model}_conversions"] = dd_value(kind, channel, model, "credited_conversions")
            values.append(row)
    rule_labels = json.dumps({model: _model_label(model) for model in rule_models})
    series_of = " : ".join(
        f"datum.key == '{model}' ? '{_model_label(model)}'" for model in dd_models
    )
    chart = (
        alt.Chart(page.data(values))
        .transform_filter("datum.kind == attr_kind")
        .transform_calculate(selected="datum[attr_model]")
        .transform_fold(["selected", *dd_models], as_=["key", "share"])
        .transform_filter("datum.share != null")
        .transform_calculate(
            series=f"{series_of} : '{selected}'",
            model=f"datum.key == 'selected' ? {rule_labels}[attr_model] : datum.series",
            conversions="datum.key == 'selected' ? null : datum[datum.key + '_conversions']",
        )
        .mark_bar(cornerRadiusEnd=2)
        .encode(
            y=alt.Y(
                "channel:N",
                title=None,
                sort=alt.EncodingSortField("share", op="max", order="descending"),
            ),
            yOffset=alt.YOffset("series:N", sort=series),
            x=alt.X("share:Q", title="share of credit", axis=alt.Axis(**chart_format("rate0"))),
            color=alt.Color(
                "series:N",
                title=None,
                scale=alt.Scale(domain=series, range=["#6a78d1", "#ff7a59", "#00a38d"]),
            ),
            tooltip=[
                alt.Tooltip("channel:N", title="Channel"),
                alt.Tooltip("model:N", title="Model"),
                alt.Tooltip("share:Q", title="Share", **chart_format("rate")),
                alt.Tooltip("conversions:Q", title="Credited conversions", **chart_format("money")),
            ],
        )
    )
    most = max((len(kind_channels) for kind_channels in channels.values()), default=1)
    slot = page.chart(
        "chart-attribution-data-driven",
        _container(chart, 36 * max(most, 1) + 10),
        params=("attr_kind", "attr_model"),
        title="Share of credit per channel: selected model, Markov and Shapley",
    )

    # The table: every model's share per channel, one table per kind.
    head = "".join(
        f'<th class="num" data-highlight="attr_model" data-value="{model}">'
        f"{esc(_model_label(model))}</th>"
        for model in rule_models
    ) + "".join(f'<th class="num">{esc(_model_label(model))}</th>' for model in dd_models)
    blocks = []
    for kind, _kind_label, _column in KINDS:
        facts = next((r for (k, _c, _m), r in dd.items() if k == kind), None)
        if facts is None:
            summary = "No converting journey of this kind: the data-driven models credit nothing."
        else:
            converting = facts["converting_journeys"]
            non_converting = facts["non_converting_journeys"]
            summary = (
                f"From {fmt_count(converting)} converting and {fmt_count(non_converting)} "
                "non-converting journeys"
                + (
                    " (every contact is created, so contact creation has no non-converting "
                    "journey)."
                    if kind == "CONTACT_CREATE"
                    else "."
                )
            )
        lines = []
        for channel in channels[kind]:
            cells = "".join(
                f'<td class="num" data-highlight="attr_model" data-value="{model}" '
                f'data-field="share_{model}">{fmt_rate(rule_share(kind, channel, model))}</td>'
                for model in rule_models
            ) + "".join(
                _num(fmt_rate(dd_value(kind, channel, model, "share")), f"share_{model}")
                for model in dd_models
            )
            cells += _num(
                fmt_rate(dd_value(kind, channel, "MARKOV", "removal_effect")), "removal_effect"
            )
            lines.append(
                f'<tr data-channel="{esc(channel)}"><td>'
                f"{esc(CHANNEL_LABELS.get(channel, channel))}</td>{cells}</tr>"
            )
        blocks.append(
            f"<div {page.shown('attr_kind', kind)}>"
            f'<p class="chart-note" data-testid="data-driven-journeys" data-kind="{kind}">'
            f"{esc(summary)}</p>"
            + _table(
                [("Channel", False)],
                f"<tbody>{''.join(lines)}</tbody>",
                head_extra=head
                + '<th class="num" title="Markov removal effect">Removal effect</th>',
                attrs=f'data-testid="channel-models" data-kind="{kind}"',
            )
            + "</div>"
        )
    return (
        heading + '<p class="chart-note">The nine rule-based models split each conversion by fixed '
        "rules; the data-driven ones compare converting journeys with those that did not "
        "convert (Markov: how many conversions are lost when a channel is removed from the "
        "journeys; Shapley: each channel's average contribution to the conversion rate of "
        "the channel sets journeys have). Rule-based shares are of the attributed value, "
        "data-driven ones of the converting journeys; neither is causal.</p>"
        + slot
        + "".join(blocks)
    )


def _path_label(path: str) -> str:
    """A path (channels joined by ' > ') with each channel's label, joined by arrows."""
    return " \u2192 ".join(CHANNEL_LABELS.get(step, step) for step in path.split(" > "))


def _conversion_paths(wh: _Warehouse, page: _Page) -> str:
    """Per kind, the paths with the most conversions, the others summed in one row (their
    median days to conversion that of their converting journeys pooled, where the journeys
    mart is there)."""
    anchor, title = "cmp-paths", "Conversion paths"
    lede = (
        "The channels a journey passed through, in order, runs of one channel merged: the "
        "paths with the most conversions of the selected kind, with the journeys on the same "
        "path that did not convert."
    )
    if not wh.has("attribution_paths"):
        return _panel(anchor, title, lede, _missing("attribution_paths"), beyond=True)
    limits = page.limits
    tops = _top_groups(
        wh,
        """
        select *, avg_touchpoints * conversions as touchpoints_of_conversions
        from marts.attribution_paths
        """,
        key="path",
        by=("conversion_kind",),
        order="conversions desc, conversion_rate desc nulls last, path",
        n=limits.rows,
        sums=("conversions", "non_conversions", "conversion_value", "touchpoints_of_conversions"),
    )
    # the others' median: that of their converting journeys, pooled
    medians: dict[str, Any] = {}
    left_out = [kind for (kind,), top in tops.items() if top.other is not None]
    if left_out and wh.has("attribution_journeys"):
        shown = [(kind, path) for (kind,), top in tops.items() for path in top.ids]
        medians = {
            r["conversion_kind"]: r["median"]
            for r in wh.rows(
                """
                select j.conversion_kind, quantile_cont(j.days_to_conversion, 0.5) as median
                from marts.attribution_journeys as j
                left join (
                    select unnest(?::varchar[]) as conversion_kind, unnest(?::varchar[]) as path
                ) as s on s.conversion_kind = j.conversion_kind and s.path = j.path
                where j.is_converting and s.path is null
                    and j.conversion_kind in (select unnest(?::varchar[]))
                group by j.conversion_kind
                """,
                [[kind for kind, _p in shown], [path for _k, path in shown], left_out],
            )
        }
    blocks = []
    for kind, _kind_label, _column in KINDS:
        top = tops.get((kind,), _Top([], None, 0))
        revenue = kind == "REVENUE"
        headers: list[tuple[str, bool]] = [
            ("#", True),
            ("Path", False),
            ("Conversions", True),
            ("Not converted", True),
            ("Conversion rate", True),
        ]
        if revenue:
            headers.append(("Conversion value", True))
        headers += [("Avg touchpoints", True), ("Median days to conversion", True)]
        lines = []
        for r in top.rows:
            cells = _num(fmt_count(r["_rank"]), "rank") + (
                f'<td class="path">{esc(_path_label(r["path"]))}</td>'
            )
            cells += _path_figures(r, revenue, r["avg_touchpoints"], r["median_days_to_conversion"])
            lines.append(f'<tr data-path="{esc(r["path"])}">{cells}</tr>')
        if top.other is not None:
            other = top.other
            cells = "<td></td>" + _other_cell(_other_label(top, "paths"))
            cells += _path_figures(
                {
                    **other,
                    "conversion_rate": _ratio(
                        other["conversions"],
                        (other["conversions"] or 0) + (other["non_conversions"] or 0),
                    ),
                },
                revenue,
                _ratio(other["touchpoints_of_conversions"], other["conversions"]),
                medians.get(kind),
            )
            lines.append(f'<tr class="other" data-other="{other["items"]}">{cells}</tr>')
        body = (
            _top_note(top, "paths", "conversions")
            + _table(
                headers,
                f"<tbody>{''.join(lines)}</tbody>",
                attrs=f'data-testid="attribution-paths" data-kind="{kind}"',
            )
            if lines
            else '<p class="chart-note">No journey of this kind.</p>'
        )
        blocks.append(f"<div {page.shown('attr_kind', kind)}>{body}</div>")
    return _panel(
        anchor,
        title,
        lede,
        '<div class="controls">' + _kind_controls(page) + "</div>" + "".join(blocks),
        beyond=True,
        testid="conversion-paths",
    )


def _path_figures(r: Row, revenue: bool, touchpoints: Any, median_days: Any) -> str:
    cells = _num(fmt_count(r["conversions"]), "conversions")
    cells += _num(fmt_count(r["non_conversions"]), "non_conversions")
    cells += _num(fmt_rate(r["conversion_rate"]), "conversion_rate")
    if revenue:
        cells += _num(fmt_money(r["conversion_value"]), "conversion_value")
    cells += _num(fmt_money(touchpoints), "avg_touchpoints")
    cells += _num(fmt_money(median_days), "median_days_to_conversion")
    return cells


# --------------------------------------------------------------------------- page


def _build_info(wh: _Warehouse) -> list[tuple[str, str]]:
    """What the header says about the data: as-of, when and from what it was built."""
    info: list[tuple[str, str]] = []
    if "audit.build_info" in wh.tables:
        row = wh.rows("select * from audit.build_info limit 1")
        if row:
            meta = row[0]
            info.append(("As of", fmt_instant(meta.get("as_of"))))
            info.append(("Built", fmt_instant(meta.get("built_at"))))
            info.append(("From", str(meta.get("input") or DASH)))
            if meta.get("dbt_vars") not in (None, "", "{}"):
                info.append(("Vars", str(meta["dbt_vars"])))
            info.append(("dbt", str(meta.get("dbt_version") or DASH)))
            info.append(("gtm", str(meta.get("gtm_version") or DASH)))
            return info
    if "intermediate.int_as_of" in wh.tables:
        as_of = wh.rows("select as_of from intermediate.int_as_of limit 1")
        if as_of:
            info.append(("As of", fmt_instant(as_of[0]["as_of"])))
    modified = datetime.fromtimestamp(wh.path.stat().st_mtime, UTC)
    info.append(("Warehouse written", modified.strftime("%Y-%m-%d %H:%M UTC")))
    return info


@cache
def _javascript_bundle() -> str:
    """Vega, Vega-Lite and Vega-Embed as one inline script (no network at view time)."""
    import vl_convert as vlc

    wanted = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    version = wanted if wanted in vlc.get_vegalite_versions() else None
    return vlc.javascript_bundle(vl_version=version)


def _asset(name: str) -> str:
    return resources.files("gtm_analytics").joinpath("report_assets", name).read_text("utf-8")


def _script_json(value: Any) -> str:
    """JSON safe inside a <script> element."""
    text = json.dumps(value, separators=(",", ":"), default=_jsonable)
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")


def render_html(warehouse: Path, limits: Limits | None = None) -> str:
    """The dashboard page for a published warehouse, as HTML text.

    `limits` bounds how many items each list shows (the rest summed in an "other" row).
    """
    limits = limits or Limits()
    wh = _Warehouse(warehouse)
    try:
        _check_marts(wh)
        sequences, sequence_count = _sequence_options(wh, limits.options)
        campaigns, campaign_count = _campaign_options(wh, limits.options)
        page = _Page(
            state={
                "sequence": sequences[0][0] if sequences else "",
                "step_measure": "rates",
                "hide_deleted": False,
                "campaign": campaigns[0][0] if campaigns else "",
                "freq": "monthly",
                "attr_kind": "CONTACT_CREATE",
                "attr_model": "LINEAR",
            },
            limits=limits,
            sequences=sequences,
            sequence_count=sequence_count,
            campaigns=campaigns,
            campaign_count=campaign_count,
        )
        sequence_sections = [
            _sequence_summary(wh),
            _sequence_comparison(wh, page),
            _step_performance(wh, page),
            _enrollment_by_step(wh, page),
            _email_performance(wh, page),
            _engaged_contacts(wh, page),
            _monthly(wh, page),
            _sender_score(wh, page),
            _sequence_beyond(wh, page),
        ]
        campaign_sections = [
            _campaign_overview(wh, page),
            _contacts_and_sessions(wh, page),
            _traffic(wh, page),
            _assets(wh, page),
            _attribution(wh, page),
            _attribution_by_channel(wh, page),
            _conversion_paths(wh, page),
        ]
        info = _build_info(wh)
        left_out = [mart for mart in OPTIONAL_MARTS if not wh.has(mart)]
    finally:
        wh.close()

    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    meta = "".join(f"<span>{esc(key)} <b>{esc(value)}</b></span>" for key, value in info)
    toc = (
        '<nav class="toc"><span class="group">Sequences</span>'
        '<a href="#seq-summary">Summary</a><a href="#seq-comparison">Comparison</a>'
        '<a href="#seq-steps">Steps</a><a href="#seq-by-step">By step</a>'
        '<a href="#seq-emails">Emails</a><a href="#seq-engaged">Engaged contacts</a>'
        '<a href="#seq-monthly">Monthly</a><a href="#seq-sender-score">Sender score</a>'
        '<a href="#seq-beyond">Timing &amp; bots</a>'
        '<span class="group">Campaigns</span>'
        '<a href="#cmp-overview">Overview</a><a href="#cmp-contacts-sessions">Contacts</a>'
        '<a href="#cmp-traffic">Traffic</a><a href="#cmp-assets">Assets</a>'
        '<a href="#cmp-attribution">Attribution</a><a href="#cmp-channels">Channels</a>'
        '<a href="#cmp-paths">Paths</a></nav>'
    )
    bundle = _javascript_bundle().replace("</script", "<\\/script")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>GTM analytics dashboard</title>"
        f"<style>{_asset('dashboard.css')}</style>"
        f"<script>{bundle}</script></head><body>"
        '<header class="top"><h1>Sequences and campaigns</h1>'
        f'<div class="meta" data-testid="build-info">{meta}'
        f"<span>Report <b>{generated}</b></span></div></header>"
        f"{toc}<main>"
        '<h2 class="area" id="sequences">Sequences</h2>'
        + "".join(sequence_sections)
        + '<h2 class="area" id="campaigns">Campaigns</h2>'
        + "".join(campaign_sections)
        + "</main>"
        f"<footer>Read from {esc(warehouse.name)} (marts schema). Counts are of started "
        "enrollments unless a figure says otherwise; rates are shares with one decimal; money "
        "has two decimals, no currency. Cards and chart axes shorten large counts (37 k, "
        "1.2 M), cards also amounts from a million on (hover a card's figure for the exact "
        "one); tables give every figure in full."
        + (
            f" Views left out for want of their mart: {esc(', '.join(left_out))}."
            if left_out
            else ""
        )
        + "</footer>"
        f'<script type="application/json" id="gtm-state">{_script_json(page.state)}</script>'
        f'<script type="application/json" id="gtm-charts">{_script_json(page.charts)}</script>'
        f"<script>{_asset('dashboard.js')}</script>"
        "</body></html>\n"
    )


def write_report(warehouse: Path, out: Path, limits: Limits | None = None) -> Path:
    """Write the dashboard of `warehouse` to `out` (atomically); return the path written.

    Raises GtmError when the warehouse file is missing, cannot be opened read-only, or
    lacks a mart the dashboard needs.
    """
    warehouse = Path(warehouse)
    out = Path(out)
    page = render_html(warehouse, limits)
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(page)
        # mkstemp makes the file private; a report is for readers, like any new file
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return out


if __name__ == "__main__":  # pragma: no cover - a developer's shortcut; `gtm report` is the CLI
    if len(sys.argv) != 3:
        sys.exit("usage: python -m gtm_analytics.report WAREHOUSE OUT")
    try:
        print(write_report(Path(sys.argv[1]), Path(sys.argv[2])))
    except GtmError as error:
        sys.exit(f"error: {error}")
