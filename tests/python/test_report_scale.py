"""`gtm report` at any scale: each list shows its top N items and one "other" row that sums
the rest, and the page does not grow with the data.

The first test renders the demo warehouse with small limits, so every kind of list has more
items than it shows, and checks each "other" row against sums queried from the marts
themselves (counts summed, rates recomputed from the summed counts). The second grows the
demo's marts (every sequence, campaign, user, contact ... copied under new ids, and more
templates, assets and traffic sources per sequence or campaign) 5 and 20 times over and
checks that the page stays the same size. No browser needed: the page is parsed here.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from conftest import query
from gtm_analytics.report import OPTIONAL_MARTS, REQUIRED_MARTS, Limits, render_html
from gtm_analytics.report_format import fmt_rate as rate
from report_support import Node, chart_rows, charts, parse

SMALL = Limits(rows=3, options=4, details=2, lines=2, contacts=5)


# --------------------------------------------------------------------------- reading figures


def number(text: str) -> float:
    """A figure as the page writes it (thousands separators, a dash for none)."""
    text = text.strip()
    return 0.0 if text in ("", "\u2013") else float(text.replace(",", "").rstrip("%"))


def cell(row: Node, field_name: str) -> float:
    (td,) = [td for td in row.all("td") if td.attrs.get("data-field") == field_name]
    spans = [span for span in td.all("span") if "v" in span.classes()]
    return number(spans[0].content() if spans else td.content())


def rate_text(row: Node, field_name: str) -> str:
    (td,) = [td for td in row.all("td") if td.attrs.get("data-field") == field_name]
    return td.one("span", **{"class": "rate"}).content().strip()


def others(rows: list[Node]) -> list[Node]:
    return [row for row in rows if "other" in row.classes()]


def items(rows: list[Node]) -> list[Node]:
    return [row for row in rows if "other" not in row.classes()]


# --------------------------------------------------------------------------- top N + other


@pytest.fixture(scope="module")
def small_page(demo_warehouse: Path) -> str:
    return render_html(demo_warehouse, SMALL)


def test_sequence_comparison_sums_the_rest(small_page: str, demo_warehouse: Path) -> None:
    table = parse(small_page).one("table", data_testid="sequence-comparison")
    rows = table.all("tr")[1:]
    (other,) = others(rows)
    shown = items(rows)
    (count, enrollments, replied, meetings) = query(
        demo_warehouse,
        "select count(*), sum(total_enrollments), sum(replied_count), sum(meeting_count) "
        "from marts.sequence_performance",
    )[0]
    assert count > SMALL.rows, "the demo must have more sequences than the limit"
    # the sequences with the most enrollments, in that order
    expected = [
        sequence_id
        for (sequence_id,) in query(
            demo_warehouse,
            f"select sequence_id from marts.sequence_performance "
            f"order by total_enrollments desc, sequence_id limit {SMALL.rows}",
        )
    ]
    assert [row.attrs["data-sequence"] for row in shown] == expected
    assert int(other.attrs["data-other"]) == count - SMALL.rows
    assert f"Other {count - SMALL.rows} of {count} sequences" in other.content()
    # counts summed: shown + other = the mart's total
    rest = enrollments - sum(cell(row, "total_enrollments") for row in shown)
    rest_replied = replied - sum(cell(row, "replied") for row in shown)
    rest_meetings = meetings - sum(cell(row, "meeting") for row in shown)
    assert cell(other, "total_enrollments") == rest
    assert cell(other, "replied") == rest_replied
    # rates recomputed from the summed counts, never averaged
    assert rate_text(other, "replied") == rate(rest_replied / rest)
    assert rate_text(other, "meeting") == rate(rest_meetings / rest)
    assert f"Top {SMALL.rows} of {count} sequences" in small_page
    # the chart: the same sequences and one bar pair for the others
    bars = chart_rows(charts(small_page)["chart-sequence-rates"])
    assert len({row["sequence"] for row in bars}) == SMALL.rows + 1
    label = f"Other {count - SMALL.rows} of {count} sequences"
    other_bars = {row["measure"]: row for row in bars if row["sequence"] == label}
    assert other_bars["Reply rate"]["total"] == rest
    assert other_bars["Reply rate"]["rate"] == pytest.approx(rest_replied / rest, rel=1e-12)
    assert other_bars["Meeting rate"]["rate"] == pytest.approx(rest_meetings / rest, rel=1e-12)


def test_selectors_list_the_largest_items_only(small_page: str, demo_warehouse: Path) -> None:
    dom = parse(small_page)
    ((sequences,),) = query(demo_warehouse, "select count(*) from marts.sequence_performance")
    ((campaigns,),) = query(demo_warehouse, "select count(*) from marts.campaign_overview")
    expected = [
        campaign_id
        for (campaign_id,) in query(
            demo_warehouse,
            f"select campaign_id from marts.campaign_overview "
            f"order by sessions desc, campaign_id limit {SMALL.options}",
        )
    ]
    for select in dom.all("select", data_control="sequence"):
        assert len(select.all("option")) == SMALL.options
    for select in dom.all("select", data_control="campaign"):
        assert [option.attrs["value"] for option in select.all("option")] == expected
    assert f"of {sequences}" in small_page and f"of {campaigns}" in small_page
    # one block per option, not per item of the mart
    step_table = dom.one("table", data_testid="step-table")
    assert len(step_table.all("tbody")) == SMALL.options
    assert len(dom.all("div", data_testid="campaign-cards")) == SMALL.options
    assert len(dom.all("div", data_testid="asset-tables")) == SMALL.options


def test_campaign_table_sums_the_rest(small_page: str, demo_warehouse: Path) -> None:
    rows = parse(small_page).one("table", data_testid="campaign-table").all("tr")[1:]
    (other,) = others(rows)
    shown = items(rows)
    assert len(shown) == SMALL.rows
    (count, sessions, first, spend) = query(
        demo_warehouse,
        "select count(*), sum(sessions), sum(new_contacts_first_touch), sum(spend) "
        "from marts.campaign_overview",
    )[0]
    assert int(other.attrs["data-other"]) == count - SMALL.rows
    assert cell(other, "sessions") == sessions - sum(cell(row, "sessions") for row in shown)
    rest_first = first - sum(cell(row, "new_contacts_first_touch") for row in shown)
    assert cell(other, "new_contacts_first_touch") == rest_first
    rest_spend = float(spend) - sum(cell(row, "spend") for row in shown)
    assert cell(other, "spend") == pytest.approx(rest_spend, abs=0.01 * (SMALL.rows + 1))
    # the least-visited campaign shown has at least the sessions of any campaign summed
    ids = [row.attrs["data-campaign"] for row in shown]
    ((most_left_out,),) = query(
        demo_warehouse,
        "select max(sessions) from marts.campaign_overview "
        f"where campaign_id not in ({', '.join(repr(i) for i in ids)})",
    )
    assert min(cell(row, "sessions") for row in shown) >= most_left_out


def test_sender_score_sums_the_rest(small_page: str, demo_warehouse: Path) -> None:
    rows = parse(small_page).one("table", data_testid="sender-score").all("tr")[1:]
    (other,) = others(rows)
    shown = [row.attrs["data-user"] for row in items(rows)]
    assert len(shown) == SMALL.rows
    listed = ", ".join(repr(user) for user in shown)
    (count, completed, replied, bounced, not_bounced) = query(
        demo_warehouse,
        "select count(*), sum(completed_enrollments), sum(replied), sum(bounced), "
        f"sum(not_bounced) from marts.sender_score_by_user where user_id not in ({listed})",
    )[0]
    assert int(other.attrs["data-other"]) == count
    assert cell(other, "completed_enrollments") == completed
    assert cell(other, "reply_rate") == pytest.approx(100 * replied / not_bounced, abs=0.051)
    assert cell(other, "bounce_rate") == pytest.approx(100 * bounced / completed, abs=0.051)
    assert "no score for a group" in other.content()
    # the users shown are those with the most completed enrollments
    ((fewest_shown, most_left_out),) = query(
        demo_warehouse,
        f"select min(completed_enrollments) filter (where user_id in ({listed})), "
        f"max(completed_enrollments) filter (where user_id not in ({listed})) "
        "from marts.sender_score_by_user",
    )
    assert fewest_shown >= most_left_out


def test_templates_assets_and_sources_sum_the_rest(small_page: str, demo_warehouse: Path) -> None:
    dom = parse(small_page)
    sends = dict(
        query(
            demo_warehouse,
            "select sequence_id, sum(sends) from marts.sequence_email_performance group by 1",
        )
    )
    sequence_ids = [
        option.attrs["value"]
        for option in dom.all("select", data_control="sequence")[0].all("option")
    ]
    bodies = dom.one("table", data_testid="email-performance").all("tbody")
    checked = 0
    for sequence_id, body in zip(sequence_ids, bodies, strict=True):
        assert body.attrs["data-value"] == sequence_id
        rows = body.all("tr")
        assert len(items(rows)) <= SMALL.details
        if others(rows):
            (other,) = others(rows)
            assert (
                cell(other, "sends") + sum(cell(r, "sends") for r in items(rows))
                == (sends[sequence_id])
            )
            checked += 1
    assert checked, "no sequence had more templates than the limit"

    # assets: per campaign and kind, the first figure of the kind adds up
    views = dict(
        query(
            demo_warehouse,
            "select campaign_id, sum(views) from marts.campaign_asset_performance "
            "where asset_type in ('LANDING_PAGE', 'WEBSITE_PAGE', 'BLOG_POST') group by 1",
        )
    )
    checked = 0
    for block in dom.all("div", data_testid="asset-tables"):
        campaign_id = block.attrs["data-value"]
        for table in block.all("table"):
            rows = table.all("tr")[1:]
            if others(rows) and any(
                td.attrs.get("data-field") == "views" for td in rows[0].all("td")
            ):
                total = sum(cell(row, "views") for row in rows)
                assert total == views[campaign_id]
                assert len(items(rows)) == SMALL.details
                checked += 1
    assert checked, "no campaign had more web pages than the limit"

    # traffic: a category's detail rows (shown + other) add up to its details in the mart
    details = {
        (campaign_id, category): (n, total)
        for campaign_id, category, n, total in query(
            demo_warehouse,
            "select campaign_id, source_category, count(*), sum(sessions) "
            "from marts.campaign_traffic where source_detail <> '(all)' group by 1, 2",
        )
    }
    checked = 0
    for body in dom.one("table", data_testid="traffic-table").all("tbody"):
        campaign_id = body.attrs["data-value"]
        for parent in body.all("tr"):
            if "data-category" not in parent.attrs:
                continue
            drill = [
                row
                for row in body.all("tr")
                if "drill" in row.classes()
                and row.attrs["data-drill"] == parent.attrs["data-drill"]
            ]
            n, total = details.get((campaign_id, parent.attrs["data-category"]), (0, 0))
            assert len(items(drill)) == min(n, SMALL.details)
            if n > SMALL.details:
                (other,) = others(drill)
                assert int(other.attrs["data-other"]) == n - SMALL.details
                assert sum(cell(row, "sessions") for row in drill) == total
                checked += 1
    assert checked, "no traffic category had more sources than the limit"


def test_attribution_tables_sum_the_rest(small_page: str, demo_warehouse: Path) -> None:
    credits = {
        (kind, model): float(total)
        for kind, model, total in query(
            demo_warehouse,
            """
            select conversion_kind, attribution_model, sum(case conversion_kind
                when 'CONTACT_CREATE' then attributed_contacts
                when 'DEAL_CREATE' then attributed_deals
                else attributed_revenue end)
            from marts.campaign_attribution group by 1, 2
            """,
        )
    }
    ((campaigns,),) = query(demo_warehouse, "select count(*) from marts.campaign_overview")
    dom = parse(small_page)
    checked = 0
    for table in dom.all("table", data_testid="attribution-table"):
        kind = table.attrs["data-kind"]
        for body in table.all("tbody"):
            rows = body.all("tr")
            assert len(items(rows)) == SMALL.rows
            (other,) = others(rows)
            assert int(other.attrs["data-other"]) == campaigns - SMALL.rows
            shown = [cell(row, "credit") for row in items(rows)]
            assert shown == sorted(shown, reverse=True)
            total = sum(shown) + cell(other, "credit")
            expected = credits.get((kind, body.attrs["data-model"]), 0.0)
            assert total == pytest.approx(expected, abs=0.005 * (SMALL.rows + 1))
            checked += 1
    assert checked == 3 * 9
    # the bar chart: per kind and model, the credited campaigns shown plus one sum
    values = chart_rows(charts(small_page)["chart-attribution-campaigns"])
    for (kind, model), expected in credits.items():
        mine = [v for v in values if v["kind"] == kind and v["model"] == model]
        assert len(mine) <= SMALL.rows + 1
        assert sum(v["credit"] for v in mine) == pytest.approx(expected, abs=1e-6)
    # the line chart: at most `lines` campaigns per kind
    lines = chart_rows(charts(small_page)["chart-attribution-models"])
    for kind in ("CONTACT_CREATE", "DEAL_CREATE", "REVENUE"):
        assert len({v["campaign"] for v in lines if v["kind"] == kind}) <= SMALL.lines


def test_bot_share_and_reply_times_of_the_rest(small_page: str, demo_warehouse: Path) -> None:
    specs = charts(small_page)
    bots = chart_rows(specs["chart-bot-activity"])
    (count, bot_opens, opens) = query(
        demo_warehouse,
        "select count(*), sum(bot_opens), sum(opens_with_bots) from marts.sequence_bot_activity",
    )[0]
    label = f"Other {count - SMALL.rows} of {count} sequences"
    opens_rows = [row for row in bots if row["event"] == "Opens"]
    assert len(opens_rows) == SMALL.rows + 1
    (other,) = [row for row in opens_rows if row["sequence"] == label]
    assert sum(row["bots"] for row in opens_rows) == bot_opens
    assert sum(row["all"] for row in opens_rows) == opens
    assert other["share"] == pytest.approx(other["bots"] / other["all"])

    replies = chart_rows(specs["chart-reply-times"])
    ((timed,),) = query(demo_warehouse, "select sum(timed_replies) from marts.sequence_reply_times")
    assert len(replies) == SMALL.rows + 1
    assert sum(row["replies"] for row in replies) == timed
    # the others' median is that of their replies pooled, from the enrollments
    shown = {row["sequence"] for row in replies} - {replies[-1]["sequence"]}
    assert replies[-1]["sequence"].startswith("Other ")
    ((median,),) = query(
        demo_warehouse,
        f"""
        select quantile_cont(hours_to_first_reply, 0.5)
        from marts.fct_sequence_enrollments
        where is_started and hours_to_first_reply is not null and sequence_id not in (
            select sequence_id from marts.sequence_reply_times where timed_replies > 0
            order by timed_replies desc, sequence_id limit {len(shown)}
        )
        """,
    )
    assert replies[-1]["median"] == pytest.approx(float(median) / 24)


def test_engaged_contacts_sum_the_rest(small_page: str, demo_warehouse: Path) -> None:
    rows = parse(small_page).one("table", data_testid="engaged-contacts").all("tr")[1:]
    (other,) = others(rows)
    assert len(items(rows)) == SMALL.contacts
    assert [cell(row, "rank") for row in items(rows)] == list(range(1, SMALL.contacts + 1))
    ((count, clicks),) = query(
        demo_warehouse, "select count(*), sum(clicks) from marts.sequence_engaged_contacts"
    )
    assert int(other.attrs["data-other"]) == count - SMALL.contacts
    assert cell(other, "clicks") + sum(cell(row, "clicks") for row in items(rows)) == clicks


def test_nothing_is_summed_when_every_item_fits(demo_warehouse: Path) -> None:
    big = Limits(rows=10_000, options=10_000, details=10_000, lines=10_000, contacts=10_000)
    page = render_html(demo_warehouse, big)
    assert 'class="other"' not in page and "Top " not in page
    rows = parse(page).one("table", data_testid="sequence-comparison").all("tr")[1:]
    ((count,),) = query(demo_warehouse, "select count(*) from marts.sequence_performance")
    assert len(rows) == count


# --------------------------------------------------------------------------- bounded page

# Marts that list items within a sequence or campaign, and the column that names the item.
INNER_ITEMS = {
    "sequence_email_performance": ("template_id", "true"),
    "campaign_asset_performance": ("asset_id", "true"),
    "campaign_traffic": ("source_detail", "source_detail <> '(all)'"),
}


# Item keys not named *_id: a conversion path is its own key.
ITEM_KEYS = {"path"}


def grow(source: Path, target: Path, copies: int, inner: int) -> Path:
    """A copy of `source` whose report marts hold `copies` times the items.

    Every row is repeated `copies` times, each copy's ids (every text column named *_id, and
    `ITEM_KEYS`) suffixed with its number, so the copies join among themselves as the originals do:
    `copies` times the sequences, campaigns, users, contacts and enrollments. The marts
    that list items within a sequence or campaign then get `inner` times as many of those.
    """
    shutil.copyfile(source, target)
    con = duckdb.connect(str(target))
    try:
        present = {
            name
            for (name,) in con.execute(
                "select table_name from information_schema.tables where table_schema = 'marts'"
            ).fetchall()
        }
        for mart in (*REQUIRED_MARTS, *OPTIONAL_MARTS):
            if mart not in present:
                continue  # an optional mart this warehouse lacks
            described = con.execute(f"describe marts.{mart}").fetchall()
            ids = [
                name
                for name, kind, *_ in described
                if (name.endswith("_id") or name in ITEM_KEYS) and kind == "VARCHAR"
            ]
            if not ids:
                continue  # no item of its own (monthly trend, summaries): left as it is

            def copied(columns: list[str], names: list[str]) -> str:
                return ", ".join(
                    f"case when copy = 0 then {name} else {name} || '~' || copy end as {name}"
                    if name in columns
                    else name
                    for name in names
                )

            names = [name for name, *_ in described]
            con.execute(
                f"create table grown as select {copied(ids, names)} "
                f"from marts.{mart}, range({copies}) as copies(copy)"
            )
            if mart in INNER_ITEMS:
                column, which = INNER_ITEMS[mart]
                con.execute(
                    f"create table grown_inner as select * from grown where not ({which}) "
                    f"union all select {copied([column], names)} "
                    f"from grown, range({inner}) as copies(copy) where {which}"
                )
                con.execute("drop table grown")
                con.execute("alter table grown_inner rename to grown")
            ((kind,),) = con.execute(
                "select table_type from information_schema.tables "
                "where table_schema = 'marts' and table_name = ?",
                [mart],
            ).fetchall()
            # a mart that projects an intermediate table is a view
            con.execute(f"drop {'view' if kind == 'VIEW' else 'table'} marts.{mart}")
            con.execute(f"create table marts.{mart} as select * from grown")
            con.execute("drop table grown")
    finally:
        con.close()
    return target


def test_page_does_not_grow_with_the_data(
    demo_warehouse: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("grown")
    pages = {}
    # Copies tie with their original, so the top 25 of either warehouse are copies of its
    # largest items: the two pages list the same figures, 4 times as many items behind them.
    # (Within a sequence or campaign, 12 copies or more fill every list of 10.)
    # paths (attribution_paths) are copied too
    source = demo_warehouse
    for copies in (25, 100):
        warehouse = grow(source, folder / f"x{copies}.duckdb", copies, copies // 2)
        ((sequences, campaigns),) = query(
            warehouse,
            "select (select count(*) from marts.sequence_performance), "
            "(select count(*) from marts.campaign_overview)",
        )
        limits = Limits()
        assert sequences > limits.options and campaigns > limits.options, copies
        pages[copies] = render_html(warehouse)
    small, large = pages[25], pages[100]
    # the larger warehouse lists as many rows, charts as many data points
    assert large.count("<tr") == small.count("<tr")
    assert large.count('class="other"') == small.count('class="other"') > 0
    small_charts, large_charts = charts(small), charts(large)
    assert small_charts.keys() == large_charts.keys()
    for chart_id in small_charts:
        assert len(chart_rows(large_charts[chart_id])) == len(chart_rows(small_charts[chart_id])), (
            chart_id
        )
    # and weighs the same, give or take the digits of bigger numbers
    assert len(large.encode()) <= 1.02 * len(small.encode())
    assert len(large.encode()) < 5_000_000
    ((sequences,),) = query(demo_warehouse, "select count(*) from marts.sequence_performance")
    assert f"Top 25 of {100 * sequences:,} sequences" in large


def test_cli_top_sets_the_lists(gtm, demo_warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "dashboard.html"
    result = gtm("report", "--warehouse", str(demo_warehouse), "--out", str(out), "--top", "2")
    assert result.returncode == 0, result.output
    dom = parse(out.read_text("utf-8"))
    for select in dom.all("select", data_control="sequence"):
        assert len(select.all("option")) == 2
    rows = dom.one("table", data_testid="campaign-table").all("tr")[1:]
    assert len(items(rows)) == 2 and len(others(rows)) == 1
    refused = gtm("report", "--warehouse", str(demo_warehouse), "--out", str(out), "--top", "0")
    assert refused.returncode != 0 and "--top" in refused.output
