"""How the dashboard writes numbers, dates and text, in its tables, cards and charts.

Tables show exact counts with thousands separators, so their rows can be checked and
added up; cards and chart axes show large counts shortened (37 k, 1.2 M) with the exact
count a hover away. Rates are percentages with one decimal and a (no-break) space before the
sign (37.5 %), money has thousands separators and two decimals, and a missing figure is a dash.

The charts draw in the browser, so the same rules exist once more in `dashboard.js`
(`gtmFormat`); a chart asks for one of `CHART_FORMATS` through `chart_format(kind)`, and a
test renders each kind in Chromium and compares it with these functions.
"""

from __future__ import annotations

import html
import math
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

DASH = "\u2013"

UNIT_SPACE = "\u00a0"
"""Between a figure and its unit (37.5 %, 1.2 M): a space that never breaks the line."""

COMPACT_FROM = 10_000
"""Counts from this size on are shortened (below it they are short enough exact)."""

MONEY_COMPACT_FROM = 1_000_000
"""Amounts from this size on are shortened in a card (below it they fit exact)."""

_UNITS: tuple[tuple[float, str], ...] = ((1e3, "k"), (1e6, "M"), (1e9, "B"))


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _fixed(number: float, digits: int) -> str:
    """`number` with `digits` decimals and thousands separators.

    A tie is rounded away from zero, on the float's exact value: what JavaScript's
    `toFixed` does, so a chart and a table write the same figure the same way.
    """
    step = Decimal(1).scaleb(-digits)
    return f"{Decimal(number).quantize(step, rounding=ROUND_HALF_UP):,}"


def _trimmed(text: str) -> str:
    """Decimals without trailing zeros (37.0 -> 37, 2.50 -> 2.5)."""
    return text.rstrip("0").rstrip(".") if "." in text else text


def fmt_count(value: Any) -> str:
    """An integer count with thousands separators (1,234,567); a dash for null."""
    return DASH if _missing(value) else _fixed(float(value), 0)


def fmt_compact(value: Any) -> str:
    """A count for a glance: exact below 10,000 (9,876), else shortened (37 k, 1.2 M, 3 B).

    One decimal while the shortened figure is below 100 (37.4 k, 1.2 M), none from there
    (375 k); a trailing ".0" is dropped (37 k). Fractions below 10,000 keep up to two
    decimals (2.5), for axes whose ticks are not whole.
    """
    if _missing(value):
        return DASH
    number = float(value)
    if abs(number) < COMPACT_FROM:
        return _fixed(number, 0) if number.is_integer() else _trimmed(_fixed(number, 2))
    unit = max(i for i, (scale, _name) in enumerate(_UNITS) if i == 0 or abs(number) >= scale)
    while True:
        scale, name = _UNITS[unit]
        scaled = number / scale
        text = _fixed(scaled, 1 if abs(scaled) < 100 else 0)
        # 999.96 k rounds to 1,000 k: that is 1 M
        if abs(float(text.replace(",", ""))) >= 1000 and unit + 1 < len(_UNITS):
            unit += 1
            continue
        return f"{_trimmed(text)}{UNIT_SPACE}{name}"


def fmt_rate(value: Any) -> str:
    """A fraction as a percentage with one decimal (0.375 -> 37.5 %); a dash for null."""
    return DASH if _missing(value) else f"{_fixed(float(value) * 100, 1)}{UNIT_SPACE}%"


def fmt_rate_whole(value: Any) -> str:
    """A fraction as a whole percentage (0.375 -> 38 %), for chart axes; a dash for null."""
    return DASH if _missing(value) else f"{_fixed(float(value) * 100, 0)}{UNIT_SPACE}%"


def fmt_money(value: Any) -> str:
    """An amount (or fractional credit) with thousands separators and two decimals."""
    return DASH if _missing(value) else _fixed(float(value), 2)


def fmt_day(value: Any) -> str:
    """A date or instant as YYYY-MM-DD."""
    return DASH if value is None else str(value)[:10]


def fmt_instant(value: Any) -> str:
    """An instant as YYYY-MM-DD HH:MM UTC."""
    if value is None:
        return DASH
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M UTC")
    return f"{value} UTC"


def esc(value: Any) -> str:
    """HTML-escaped text; a dash for null."""
    return DASH if value is None else html.escape(str(value), quote=True)


def glance(value: Any, *, money: bool = False) -> str:
    """A figure as a card shows it: a count from 10,000 on (an amount from a million on)
    shortened, 1.2 M, with the exact figure as its hover text; else exact."""
    exact = fmt_money(value) if money else fmt_count(value)
    if _missing(value) or abs(float(value)) < (MONEY_COMPACT_FROM if money else COMPACT_FROM):
        return exact
    return (
        f'<span class="compact" title="{esc(exact)}" data-exact="{esc(exact)}">'
        f"{fmt_compact(value)}</span>"
    )


# --------------------------------------------------------------------------- charts

CHART_FORMATTER = "gtmFormat"
"""The Vega expression function (registered by dashboard.js) that formats chart numbers."""

CHART_FORMATS: dict[str, Any] = {
    "count": fmt_count,
    "compact": fmt_compact,
    "rate": fmt_rate,
    "rate0": fmt_rate_whole,
    "money": fmt_money,
}
"""What each chart format kind writes, as Python writes it (the browser must agree)."""


def chart_format(kind: str) -> dict[str, str]:
    """`format` and `formatType` of an axis, legend, text or tooltip in format `kind`."""
    if kind not in CHART_FORMATS:
        raise ValueError(f"unknown chart format {kind!r}")
    return {"format": kind, "formatType": CHART_FORMATTER}


def chart_expr(value: str, kind: str) -> str:
    """A Vega expression that formats the expression `value` in format `kind`."""
    chart_format(kind)
    return f"{CHART_FORMATTER}({value}, '{kind}')"
