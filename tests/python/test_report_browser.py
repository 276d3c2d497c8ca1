"""The dashboard in a real browser: Debian's Chromium, driven by Playwright.

`gtm report`'s page is opened from disk with every network request refused, and its
charts, cards and tables are compared with numbers queried from the same warehouse.
A full-page screenshot is kept as a test artifact (and copied into $GTM_TEST_ARTIFACTS
when that is set). Never `playwright install`: the browser is the system's.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest

from conftest import query
from gtm_analytics.errors import GtmError
from gtm_analytics.report import Limits, write_report
from gtm_analytics.report_format import CHART_FORMATS, fmt_compact
from gtm_analytics.report_format import fmt_count as count
from gtm_analytics.report_format import fmt_money as money
from gtm_analytics.report_format import fmt_rate as rate
from report_support import KINDS, RULE_MODELS

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
STEP_FIGURES = ("executed", "opened", "clicked", "replied", "meetings", "tasks_completed")
# Data marks of a Vega SVG view (axes, legends and titles carry other roles).
MARKS = "svg g.role-mark > *"
# Requests each open tab tried to make off the local file (by id of the tab).
REFUSED: dict[int, list[str]] = {}


@pytest.fixture(scope="module")
def dashboard(demo_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "dashboard.html"
    assert write_report(demo_warehouse, out) == out
    return out


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium (/usr/bin/chromium) is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@contextmanager
def opened(browser, dashboard: Path) -> Iterator[object]:
    """A tab on the dashboard, rendered, with every request off the local file refused."""
    context = browser.new_context(viewport={"width": 1360, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    refused = REFUSED.setdefault(id(tab), [])
    tab.on("pageerror", lambda error: errors.append(str(error)))

    def route(request_route) -> None:
        url = request_route.request.url
        if url.startswith(("file:", "data:", "blob:", "about:")):
            request_route.continue_()
        else:
            refused.append(url)
            request_route.abort()

    tab.route("**/*", route)
    try:
        tab.goto(dashboard.as_uri())
        tab.wait_for_selector("body[data-ready]", timeout=60_000)
        assert tab.get_attribute("body", "data-ready") == "true", tab.get_attribute(
            "body", "data-error"
        )
        yield tab
        assert not errors, errors
        assert not refused, f"the page asked the network for {refused}"
    finally:
        context.close()


@pytest.fixture(scope="module")
def overview(browser, dashboard: Path) -> Iterator[object]:
    """The dashboard as it opens; tests using it only read (no clicks)."""
    with opened(browser, dashboard) as tab:
        yield tab


@pytest.fixture
def page(browser, dashboard: Path) -> Iterator[object]:
    """A fresh tab for a test that changes the selectors."""
    with opened(browser, dashboard) as tab:
        yield tab


def settle(tab) -> None:
    """Wait until every chart has run with the parameter just set."""
    tab.wait_for_function("!document.body.hasAttribute('data-busy')")


def texts(tab, selector: str) -> list[str]:
    return [text.strip() for text in tab.locator(selector).all_inner_texts()]


def exact(element) -> str:
    """A figure as written, or the exact count behind a shortened one (1.2 M -> 1,234,567)."""
    compact = element.locator(".compact")
    if compact.count():
        return compact.get_attribute("data-exact")
    return element.inner_text().strip()


def svg_texts(tab, chart_id: str) -> list[str]:
    return tab.eval_on_selector_all(
        f"#{chart_id} svg g.mark-text.role-mark text", "els => els.map(e => e.textContent)"
    )


def test_page_needs_no_network(dashboard: Path, overview) -> None:
    source = dashboard.read_text("utf-8")
    assert not re.search(r"""<(script|link|img|iframe)[^>]+(src|href)\s*=\s*["']?https?:""", source)
    assert not re.search(r"""url\(\s*["']?https?:|@import""", source)
    assert dashboard.stat().st_size < 5_000_000
    assert REFUSED[id(overview)] == []


def test_every_chart_rendered_marks(overview) -> None:
    charts = overview.locator(".chart")
    ids = [charts.nth(i).get_attribute("id") for i in range(charts.count())]
    declared = overview.evaluate(
        "Object.keys(JSON.parse(document.getElementById('gtm-charts').textContent))"
    )
    assert sorted(ids) == sorted(declared)
    assert len(ids) >= 15
    empty = [chart_id for chart_id in ids if overview.locator(f"#{chart_id} {MARKS}").count() == 0]
    assert not empty, f"charts without marks: {empty}"
    # the demo warehouse has every beyond-HubSpot mart: no panel may be left out
    assert overview.locator("[data-missing-mart]").count() == 0


def test_build_info_in_header(overview, demo_warehouse: Path) -> None:
    tables = {
        f"{schema}.{name}"
        for schema, name in query(
            demo_warehouse, "select table_schema, table_name from information_schema.tables"
        )
    }
    source = "audit.build_info" if "audit.build_info" in tables else "intermediate.int_as_of"
    (as_of,) = query(demo_warehouse, f"select max(as_of) from {source}")[0]
    header = overview.locator("[data-testid=build-info]").inner_text()
    assert as_of.strftime("%Y-%m-%d %H:%M") in header


def test_sequence_cards_equal_the_marts(overview, demo_warehouse: Path) -> None:
    (row,) = query(
        demo_warehouse,
        """
        select count(*), count(distinct contact_id), count_if(is_currently_enrolled),
            count_if(is_opened), count_if(is_clicked), count_if(is_replied),
            count_if(is_meeting_booked), count_if(is_no_reply), count_if(is_bounced),
            count_if(is_unsubscribed), count_if(is_deal_created), sum(attributed_revenue)
        from marts.fct_sequence_enrollments
        where is_started
        """,
    )
    total, contacts, current, *flags, revenue = row
    cards = overview.locator("[data-testid=sequence-summary]")

    def card(metric: str) -> tuple[str, str | None]:
        element = cards.locator(f"[data-metric={metric}]")
        counted = element.locator("[data-role=count]")
        return (exact(element.locator(".value")), exact(counted) if counted.count() else None)

    for metric, value in (
        ("total_enrollments", total),
        ("unique_contacts", contacts),
        ("currently_enrolled", current),
    ):
        assert card(metric)[0] == count(value), metric
        assert cards.locator(f"[data-metric={metric}] .value").inner_text() == fmt_compact(value)
    assert card("total_revenue")[0] == money(revenue)
    rate_metrics = (
        "open_rate",
        "click_rate",
        "reply_rate",
        "meeting_rate",
        "no_reply_rate",
        "bounce_rate",
        "unsubscribe_rate",
        "deal_rate",
    )
    for metric, flagged in zip(rate_metrics, flags, strict=True):
        assert card(metric) == (rate(flagged / total), count(flagged)), metric


def test_sequence_comparison_table_equals_the_mart(overview, demo_warehouse: Path) -> None:
    expected = {
        sequence_id: (count(enrollments), count(replied), rate(reply_rate))
        for sequence_id, enrollments, replied, reply_rate in query(
            demo_warehouse,
            "select sequence_id, total_enrollments, replied_count, replied_rate "
            "from marts.sequence_performance",
        )
    }
    rows = overview.locator("[data-testid=sequence-comparison] tbody tr")
    assert rows.count() == len(expected)
    for i in range(rows.count()):
        row = rows.nth(i)
        replied = row.locator("[data-field=replied]")
        shown = (
            row.locator("[data-field=total_enrollments]").inner_text().strip(),
            replied.locator(".v").inner_text().strip(),
            replied.locator(".rate").inner_text().strip(),
        )
        assert shown == expected[row.get_attribute("data-sequence")]


def test_campaign_cards_follow_the_selector(page, demo_warehouse: Path) -> None:
    rows = query(
        demo_warehouse,
        """
        select o.campaign_id, o.sessions, o.new_contacts_first_touch, o.new_contacts_last_touch,
            o.influenced_contacts, o.spend, o.cost_per_new_contact, o.roi, r.revenue,
            o.goal_sessions, o.sessions_goal_share
        from marts.campaign_overview as o
        left join marts.campaign_revenue as r using (campaign_id)
        """,
    )
    assert rows
    select = page.locator("#cmp-overview select[data-control=campaign]")
    for (
        campaign_id,
        sessions,
        first,
        last,
        influenced,
        spend,
        cpnc,
        roi,
        revenue,
        goal,
        share,
    ) in rows:
        select.select_option(campaign_id)
        settle(page)
        visible = page.locator("[data-testid=campaign-cards]:visible")
        assert visible.count() == 1
        assert visible.get_attribute("data-campaign") == campaign_id

        def value(metric: str, cards=visible) -> str:
            return exact(cards.locator(f"[data-metric={metric}] .value"))

        assert value("sessions") == count(sessions)
        assert value("new_contacts_first_touch") == count(first)
        assert value("new_contacts_last_touch") == count(last)
        assert value("influenced_contacts") == count(influenced)
        assert value("spend") == money(spend)
        assert value("cost_per_new_contact") == money(cpnc)
        assert value("roi") == rate(roi)
        assert value("revenue") == money(revenue)
        goal_text = visible.locator("[data-metric=sessions] .sub").inner_text()
        if goal is None:
            assert "no goal" in goal_text
        else:
            assert fmt_compact(goal) in goal_text and rate(share) in goal_text
        # the other campaign panels follow the same selector
        for other in page.locator("select[data-control=campaign]").all():
            assert other.input_value() == campaign_id


def test_attribution_model_selector_switches_the_numbers(page, demo_warehouse: Path) -> None:
    credits: dict[tuple[str, str, str], float] = {}
    for campaign_id, kind, model, contacts, deals, revenue in query(
        demo_warehouse,
        "select campaign_id, conversion_kind, attribution_model, attributed_contacts, "
        "attributed_deals, attributed_revenue from marts.campaign_attribution",
    ):
        value = {"CONTACT_CREATE": contacts, "DEAL_CREATE": deals, "REVENUE": revenue}[kind]
        credits[(campaign_id, kind, model)] = float(value)
    model_select = page.locator("#cmp-attribution select[data-control=attr_model]")
    previous: list[str] | None = None
    changed = 0
    for kind in KINDS:
        page.locator(f"#cmp-attribution [data-control=attr_kind] button[data-value={kind}]").click()
        settle(page)
        for model in RULE_MODELS:
            model_select.select_option(model)
            settle(page)
            table = page.locator(f"[data-testid=attribution-table][data-kind={kind}] tbody:visible")
            assert table.count() == 1 and table.get_attribute("data-model") == model
            rows = table.locator("tr")
            shown: list[str] = []
            for i in range(rows.count()):
                row = rows.nth(i)
                campaign_id = row.get_attribute("data-campaign")
                text = row.locator("[data-field=credit]").inner_text().strip()
                assert text == money(credits.get((campaign_id, kind, model), 0.0)), (
                    kind,
                    model,
                    campaign_id,
                )
                shown.append(text)
            if previous is not None and shown != previous:
                changed += 1
            previous = shown
            # the bar chart's labels follow the same selection
            labels = sorted(
                float(label.replace(",", ""))
                for label in svg_texts(page, "chart-attribution-campaigns")
            )
            expected = sorted(v for (_c, k, m), v in credits.items() if k == kind and m == model)
            assert labels == pytest.approx(expected, abs=0.006)
    assert changed >= len(KINDS) * (len(RULE_MODELS) - 1) // 2


def test_step_performance_switches_between_rates_and_counts(page, demo_warehouse: Path) -> None:
    # a sequence with a deleted step, so that hiding deleted steps is exercised too
    (sequence_id,) = query(
        demo_warehouse,
        "select sequence_id from marts.sequence_step_performance "
        "group by 1 order by count_if(is_deleted) desc, count(*) desc, 1 limit 1",
    )[0]
    steps = query(
        demo_warehouse,
        f"""
        select s.step_id, s.is_deleted, p.total_enrollments,
            {", ".join(f"s.{figure}" for figure in STEP_FIGURES)},
            {", ".join(f"s.{figure}_rate" for figure in STEP_FIGURES[1:])}
        from marts.sequence_step_performance as s
        join marts.sequence_performance as p using (sequence_id)
        where s.sequence_id = '{sequence_id}'
        """,
    )
    page.locator("#seq-steps select[data-control=sequence]").select_option(sequence_id)
    settle(page)

    def table_cells() -> dict[str, list[str]]:
        body = page.locator("[data-testid=step-table] tbody:visible")
        rows = body.locator("tr:visible")
        return {
            rows.nth(i).get_attribute("data-step"): [
                rows.nth(i).locator(f"[data-field={figure}]").inner_text().strip()
                for figure in STEP_FIGURES
            ]
            for i in range(rows.count())
        }

    page.locator("#seq-steps [data-control=step_measure] button[data-value=counts]").click()
    settle(page)
    count_labels = svg_texts(page, "chart-step-performance")
    expected_counts = {
        step_id: [count(v) for v in figures[:6]] for step_id, _deleted, _total, *figures in steps
    }
    assert table_cells() == expected_counts
    assert sorted(count_labels) == sorted(t for cells in expected_counts.values() for t in cells)

    page.locator("#seq-steps [data-control=step_measure] button[data-value=rates]").click()
    settle(page)
    rate_labels = svg_texts(page, "chart-step-performance")
    assert rate_labels != count_labels and all(label.endswith("%") for label in rate_labels)
    expected_rates = {
        step_id: [rate(figures[0] / total if total else None)] + [rate(r) for r in figures[6:]]
        for step_id, _deleted, total, *figures in steps
    }
    assert table_cells() == expected_rates
    # the chart writes its rates as the table does (dashboard.js's gtmFormat)
    assert sorted(rate_labels) == sorted(t for cells in expected_rates.values() for t in cells)

    deleted = sum(1 for _s, is_deleted, *_rest in steps if is_deleted)
    page.locator("#seq-steps input[data-control=hide_deleted]").check()
    settle(page)
    assert len(table_cells()) == len(steps) - deleted
    assert len(svg_texts(page, "chart-step-performance")) == 6 * (len(steps) - deleted)


def test_contacts_and_sessions_frequency_toggle(page) -> None:
    def line_paths() -> list[str]:
        return page.eval_on_selector_all(
            "#chart-contacts-sessions svg g.mark-line.role-mark path",
            "els => els.map(e => e.getAttribute('d'))",
        )

    buttons = "#cmp-contacts-sessions [data-control=freq] button"
    page.locator(f"{buttons}[data-value=monthly]").click()
    settle(page)
    monthly = line_paths()
    page.locator(f"{buttons}[data-value=daily]").click()
    settle(page)
    daily = line_paths()
    assert monthly and daily and monthly != daily


def test_contacts_and_sessions_series_equal_the_marts(page, demo_warehouse: Path) -> None:
    # the series travel as arrays from each campaign's first day; the chart unrolls them
    campaign_id = page.locator("#cmp-contacts-sessions select[data-control=campaign]").input_value()
    buttons = "#cmp-contacts-sessions [data-control=freq] button"
    for freq, mart, column in (
        ("daily", "campaign_daily", "activity_date"),
        ("monthly", "campaign_monthly", "activity_month"),
    ):
        page.locator(f"{buttons}[data-value={freq}]").click()
        settle(page)
        drawn = page.evaluate(
            """() => {
              const view = window.gtmDashboard.views["chart-contacts-sessions"];
              for (const name of ["data_0", "data_1", "data_2"]) {
                let rows;
                try { rows = view.data(name); } catch (error) { continue; }
                if (rows.length && "metric" in rows[0] && "day" in rows[0]) {
                  return rows.map((r) => [new Date(r.day).toISOString().slice(0, 10),
                                          r.metric, r.value]);
                }
              }
              return null;
            }"""
        )
        assert drawn, "the chart's unrolled series were not found"
        expected = {
            (str(day)[:10], "Sessions"): sessions
            for day, sessions in query(
                demo_warehouse,
                f"select {column}, sessions from marts.{mart} "
                f"where campaign_id = '{campaign_id}' and sessions > 0",
            )
        }
        shown = {(day, metric): value for day, metric, value in drawn if value}
        assert {key: v for key, v in shown.items() if key[1] == "Sessions"} == expected, freq
        # zero-filled: one point per day (month) and metric, none missing in between
        days = sorted({day for day, _metric, _value in drawn})
        assert len(drawn) == 4 * len(days)


def test_charts_write_figures_as_the_tables_do(overview) -> None:
    """dashboard.js's gtmFormat, which draws every figure of the charts, agrees with
    report_format.py, which writes the tables and cards, value for value."""
    values = [
        None,
        0,
        3,
        0.5,
        0.1225,
        0.37549,
        1 / 3,
        2.5,
        0.125,
        9_999,
        10_000,
        37_449,
        99_960,
        375_499,
        999_600,
        1_234_567,
        -12_345.678,
        999_999_999,
        3e9,
    ]
    cases = [[value, kind] for kind in CHART_FORMATS for value in values]
    drawn = overview.evaluate(
        "cases => cases.map(([value, kind]) => window.gtmDashboard.format(value, kind))", cases
    )
    expected = [CHART_FORMATS[kind](value) for value, kind in cases]
    assert drawn == expected
    # an axis of rates says so on each tick (0 %, 5 %, ...)
    ticks = overview.eval_on_selector_all(
        "#chart-sequence-rates svg g.role-axis-label text", "els => els.map(e => e.textContent)"
    )
    assert "0\u00a0%" in ticks


def test_top_n_page_draws_its_other_rows(browser, demo_warehouse: Path, tmp_path: Path) -> None:
    """With limits below the demo's counts, every list ends in an "other" row that renders."""
    small = Limits(rows=3, options=4, details=2, lines=2, contacts=5)
    out = write_report(demo_warehouse, tmp_path / "small.html", small)
    credited = {
        (kind, model): n
        for kind, model, n in query(
            demo_warehouse,
            "select conversion_kind, attribution_model, count(*) "
            "from marts.campaign_attribution group by 1, 2",
        )
    }
    with opened(browser, out) as tab:
        charts = tab.locator(".chart")
        ids = [charts.nth(i).get_attribute("id") for i in range(charts.count())]
        empty = [chart_id for chart_id in ids if tab.locator(f"#{chart_id} {MARKS}").count() == 0]
        assert not empty, f"charts without marks: {empty}"
        other = tab.locator("[data-testid=sequence-comparison] tr.other")
        assert other.count() == 1 and other.is_visible()
        assert other.inner_text().startswith("Other ")
        assert tab.locator("#seq-steps select[data-control=sequence] option").count() == 4
        # the last sequence offered still has its step table and its email templates
        tab.locator("#seq-steps select[data-control=sequence]").select_option(index=3)
        settle(tab)
        assert tab.locator("[data-testid=step-table] tbody:visible tr").count() > 0
        emails = tab.locator("[data-testid=email-performance] tbody:visible tr")
        assert 0 < emails.count() <= small.details + 1
        # the credit chart: three campaigns and one bar for the others
        labels = svg_texts(tab, "chart-attribution-campaigns")
        n = credited[("CONTACT_CREATE", "LINEAR")]
        assert len(labels) == min(n, small.rows) + (n > small.rows)


def test_full_page_screenshot_is_kept(overview, dashboard: Path, tmp_path: Path) -> None:
    shot = tmp_path / "dashboard.png"
    overview.screenshot(path=str(shot), full_page=True)
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 50_000
    artifacts = os.environ.get("GTM_TEST_ARTIFACTS")
    if artifacts:
        target = Path(artifacts)
        target.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, target / "dashboard.png")
        shutil.copyfile(dashboard, target / "dashboard.html")


def test_missing_warehouse_is_one_clear_error(tmp_path: Path) -> None:
    out = tmp_path / "dashboard.html"
    with pytest.raises(GtmError, match="does not exist"):
        write_report(tmp_path / "absent.duckdb", out)
    assert not out.exists()


def test_warehouse_without_marts_is_one_clear_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    out = tmp_path / "dashboard.html"
    with pytest.raises(GtmError, match=r"lacks .*marts\.sequence_performance"):
        write_report(empty, out)
    assert not out.exists()


def test_a_missing_beyond_hubspot_mart_leaves_a_note(demo_warehouse: Path, tmp_path: Path) -> None:
    partial = tmp_path / "partial.duckdb"
    shutil.copyfile(demo_warehouse, partial)
    con = duckdb.connect(str(partial))
    try:
        ((kind,),) = con.execute(
            "select table_type from information_schema.tables "
            "where table_schema = 'marts' and table_name = 'sequence_bot_activity'"
        ).fetchall()
        con.execute(f"drop {'view' if kind == 'VIEW' else 'table'} marts.sequence_bot_activity")
    finally:
        con.close()
    page = write_report(partial, tmp_path / "dashboard.html").read_text("utf-8")
    assert 'data-missing-mart="sequence_bot_activity"' in page
    assert "chart-bot-activity" not in page


def test_data_driven_views_follow_the_selectors(
    browser, demo_warehouse: Path, tmp_path: Path
) -> None:
    """The Markov and Shapley shares beside the selected rule-based model, and the top
    paths, drawn in the browser for the kind and model chosen."""
    warehouse = demo_warehouse
    out = write_report(warehouse, tmp_path / "dashboard.html", Limits(rows=5))
    channels = {
        kind: n
        for kind, n in query(
            warehouse,
            "select conversion_kind, count(distinct channel) "
            "from marts.attribution_data_driven group by 1",
        )
    }
    ((top_revenue,),) = query(
        warehouse,
        "select max(conversions) from marts.attribution_paths where conversion_kind = 'REVENUE'",
    )
    with opened(browser, out) as tab:
        bars = f"#chart-attribution-data-driven {MARKS}"
        # per channel of the kind: the selected model's bar, Markov's and Shapley's
        assert tab.locator(bars).count() == 3 * channels["CONTACT_CREATE"]
        tab.locator("#cmp-paths [data-control=attr_kind] button[data-value=REVENUE]").click()
        settle(tab)
        assert tab.locator(bars).count() == 3 * channels["REVENUE"]
        table = tab.locator("[data-testid=channel-models]:visible")
        assert table.count() == 1 and table.get_attribute("data-kind") == "REVENUE"
        paths = tab.locator("[data-testid=attribution-paths]:visible")
        assert paths.count() == 1 and paths.get_attribute("data-kind") == "REVENUE"
        first = paths.locator("tbody tr").first.locator("[data-field=conversions]")
        assert first.inner_text().strip() == count(top_revenue)
        # the model selector marks the selected rule-based model's column
        tab.locator("#cmp-channels select[data-control=attr_model]").select_option(
            "FIRST_INTERACTION"
        )
        settle(tab)
        current = table.locator("th.current")
        assert current.count() == 1 and current.get_attribute("data-value") == "FIRST_INTERACTION"
