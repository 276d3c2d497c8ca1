"""The dashboard's data-driven attribution: the Markov and Shapley shares per channel beside
the nine rule-based models, and the top paths to conversion, compared with the marts.

The demo warehouse as built (it has the three data-driven marts); the page must show what
the marts hold. No browser needed: the page is parsed here.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import query
from gtm_analytics.report import CHANNEL_LABELS, Limits, render_html
from gtm_analytics.report_format import fmt_count, fmt_money
from gtm_analytics.report_format import fmt_rate as rate
from report_support import (
    KINDS,
    RULE_MODELS,
    Node,
    chart_rows,
    charts,
    drop_marts,
    parse,
    visible_text,
)

SMALL = Limits(rows=3, options=4, details=2, lines=2, contacts=5)


@pytest.fixture(scope="module")
def warehouse(demo_warehouse: Path) -> Path:
    return demo_warehouse


@pytest.fixture(scope="module")
def pages(warehouse: Path) -> dict[str, str]:
    return {"default": render_html(warehouse), "small": render_html(warehouse, SMALL)}


def field_text(row: Node, field_name: str) -> str:
    (td,) = [td for td in row.all("td") if td.attrs.get("data-field") == field_name]
    spans = [span for span in td.all("span") if "v" in span.classes()]
    return (spans[0].content() if spans else td.content()).strip()


# --------------------------------------------------------------------------- per channel


def test_channel_table_shows_the_data_driven_shares_beside_the_nine(
    pages: dict[str, str], warehouse: Path
) -> None:
    data_driven = {
        (kind, model, channel): (share, removal, converting, non_converting)
        for kind, model, channel, share, removal, converting, non_converting in query(
            warehouse,
            "select conversion_kind, attribution_model, channel, share, removal_effect, "
            "converting_journeys, non_converting_journeys from marts.attribution_data_driven",
        )
    }
    rule = {
        (kind, model, channel): share
        for kind, model, channel, share in query(
            warehouse,
            "select conversion_kind, attribution_model, channel, share_of_attributed_value "
            "from marts.attribution_by_channel",
        )
    }
    assert {model for _k, model, _c in data_driven} == {"MARKOV", "SHAPLEY"}
    dom = parse(pages["default"])
    checked = 0
    for kind in KINDS:
        expected_channels = {c for k, _m, c in (*data_driven, *rule) if k == kind}
        table = dom.one("table", data_testid="channel-models", data_kind=kind)
        rows = table.all("tr")[1:]
        assert {row.attrs["data-channel"] for row in rows} == expected_channels
        for row in rows:
            channel = row.attrs["data-channel"]
            assert visible_text(row.all("td")[0]).strip() == CHANNEL_LABELS.get(channel, channel)
            for model in ("MARKOV", "SHAPLEY"):
                share = data_driven.get((kind, model, channel), (None,))[0]
                assert field_text(row, f"share_{model}") == rate(share), (kind, model, channel)
                checked += share is not None
            removal = data_driven.get((kind, "MARKOV", channel), (None, None))[1]
            assert field_text(row, "removal_effect") == rate(removal)
            for model in RULE_MODELS:
                # a channel of no credit row of the kind has no rule-based credit: 0
                assert field_text(row, f"share_{model}") == rate(
                    rule.get((kind, model, channel), 0.0)
                ), (kind, model, channel)
        # ordered by the Markov share, largest first
        markov = [data_driven.get((kind, "MARKOV", r.attrs["data-channel"]), (0,))[0] for r in rows]
        assert markov == sorted(markov, reverse=True)
        # the journeys behind the kind's data-driven shares
        facts = [v for (k, _m, _c), v in data_driven.items() if k == kind]
        note = visible_text(dom.one("p", data_testid="data-driven-journeys", data_kind=kind))
        if facts:
            _share, _removal, converting, non_converting = facts[0]
            assert f"From {fmt_count(converting)} converting and " in note
            assert f" {fmt_count(non_converting)} non-converting journeys" in note
        else:
            assert "No converting journey" in note
    assert checked == len(data_driven)


def test_channel_chart_carries_the_mart_shares(pages: dict[str, str], warehouse: Path) -> None:
    rows = chart_rows(charts(pages["default"])["chart-attribution-data-driven"])
    drawn = {
        (row["kind"], model, row["channel"]): row[model]
        for row in rows
        for model in ("MARKOV", "SHAPLEY")
        if row[model] is not None
    }
    expected = {
        (kind, model, CHANNEL_LABELS.get(channel, channel)): share
        for kind, model, channel, share in query(
            warehouse,
            "select conversion_kind, attribution_model, channel, share "
            "from marts.attribution_data_driven",
        )
    }
    assert drawn == expected
    # beside them, each rule-based model's share (the chart shows the selected one's)
    rule = {
        (kind, model, CHANNEL_LABELS.get(channel, channel)): share
        for kind, model, channel, share in query(
            warehouse,
            "select conversion_kind, attribution_model, channel, share_of_attributed_value "
            "from marts.attribution_by_channel",
        )
    }
    assert {(row["kind"], m, row["channel"]): row[m] for row in rows for m in RULE_MODELS} == {
        (row["kind"], m, row["channel"]): rule.get((row["kind"], m, row["channel"]), 0.0)
        for row in rows
        for m in RULE_MODELS
    }


# --------------------------------------------------------------------------- top paths


@pytest.mark.parametrize("limits", ["default", "small"])
def test_top_paths_are_the_marts_top_rows(
    pages: dict[str, str], warehouse: Path, limits: str
) -> None:
    n = SMALL.rows if limits == "small" else Limits().rows
    dom = parse(pages[limits])
    summed = 0
    for kind in KINDS:
        mart = {
            path: row
            for path, *row in query(
                warehouse,
                "select path, conversions, non_conversions, conversion_rate, conversion_value, "
                "avg_touchpoints, median_days_to_conversion from marts.attribution_paths "
                f"where conversion_kind = '{kind}'",
            )
        }
        if not mart:
            continue
        table = dom.one("table", data_testid="attribution-paths", data_kind=kind)
        rows = table.all("tr")[1:]
        shown = [row for row in rows if "other" not in row.classes()]
        assert len(shown) == min(n, len(mart))
        # the n paths with the most conversions, most first, each with the mart's figures
        conversions = sorted((row[0] for row in mart.values()), reverse=True)
        assert [int(field_text(r, "conversions").replace(",", "")) for r in shown] == (
            conversions[:n]
        )
        for rank, row in enumerate(shown, start=1):
            conv, non_conv, conv_rate, value, touchpoints, days = mart[row.attrs["data-path"]]
            assert field_text(row, "rank") == str(rank)
            assert field_text(row, "conversions") == fmt_count(conv)
            assert field_text(row, "non_conversions") == fmt_count(non_conv)
            assert field_text(row, "conversion_rate") == rate(conv_rate)
            assert field_text(row, "avg_touchpoints") == fmt_money(touchpoints)
            assert field_text(row, "median_days_to_conversion") == fmt_money(days)
            if kind == "REVENUE":
                assert field_text(row, "conversion_value") == fmt_money(value)
            steps = row.attrs["data-path"].split(" > ")
            assert [s.strip() for s in visible_text(row.all("td")[1]).split("\u2192")] == [
                CHANNEL_LABELS.get(step, step) for step in steps
            ]
        other = [row for row in rows if "other" in row.classes()]
        if len(mart) <= n:
            assert not other
            continue
        (other_row,) = other
        rest = [mart[p] for p in set(mart) - {row.attrs["data-path"] for row in shown}]
        assert int(other_row.attrs["data-other"]) == len(mart) - n
        rest_conv = sum(r[0] for r in rest)
        rest_non = sum(r[1] for r in rest)
        assert field_text(other_row, "conversions") == fmt_count(rest_conv)
        assert field_text(other_row, "non_conversions") == fmt_count(rest_non)
        assert field_text(other_row, "conversion_rate") == rate(rest_conv / (rest_conv + rest_non))
        # mean touchpoints of the others' converting journeys, weighted by their conversions
        weighted = sum(r[4] * r[0] for r in rest if r[4] is not None)
        assert field_text(other_row, "avg_touchpoints") == fmt_money(
            weighted / rest_conv if rest_conv else None
        )
        # their median days: that of their converting journeys pooled
        shown_paths = ", ".join(f"'{row.attrs['data-path']}'" for row in shown)
        ((median,),) = query(
            warehouse,
            "select quantile_cont(days_to_conversion, 0.5) from marts.attribution_journeys "
            f"where conversion_kind = '{kind}' and is_converting "
            f"and path not in ({shown_paths})",
        )
        assert field_text(other_row, "median_days_to_conversion") == fmt_money(median)
        summed += 1
    if limits == "small":
        assert summed, "no kind had more paths than the limit"


# --------------------------------------------------------------------------- missing marts


def test_a_warehouse_without_the_data_driven_marts_still_renders(
    warehouse: Path, tmp_path: Path
) -> None:
    partial = tmp_path / "partial.duckdb"
    shutil.copyfile(warehouse, partial)
    # without the journeys, the paths are shown, the others' median unknown
    drop_marts(partial, "attribution_journeys")
    page = render_html(partial, SMALL)
    dom = parse(page)
    others = [
        row
        for table in dom.all("table", data_testid="attribution-paths")
        for row in table.all("tr")
        if "other" in row.classes()
    ]
    assert others and all(
        field_text(row, "median_days_to_conversion") == "\u2013" for row in others
    )
    # without the other two, each view says which mart it needs; the rest of the page stays
    drop_marts(partial, "attribution_data_driven", "attribution_paths")
    page = render_html(partial)
    dom = parse(page)
    for mart in ("attribution_data_driven", "attribution_paths"):
        assert len(dom.all("p", data_missing_mart=mart)) == 1
        assert mart in dom.one("footer").content()
    specs = charts(page)
    assert "chart-attribution-data-driven" not in specs
    assert "chart-attribution-channels" in specs
    assert not dom.all("table", data_testid="attribution-paths")
    assert not dom.all("table", data_testid="channel-models")
    assert dom.one("section", id="cmp-paths") and dom.one("section", id="cmp-channels")
