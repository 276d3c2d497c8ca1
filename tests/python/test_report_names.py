"""The dashboard speaks in names: contacts, companies, templates, users, sequences and
campaigns are shown by name, never by id, and two that share a name stay apart.

The demo dashboard is rendered and parsed (no browser): no id of the generator's format
(`con_0001584`, `tpl_0000015`, `cmpn_0000003` ...) may appear in its visible text (hidden
panels included, attributes and scripts left out) or in the data its charts draw; and each
row that stands for an entity (its id in a `data-` attribute) shows that entity's name as
the warehouse's dimensions and marts give it.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pytest

from conftest import query
from gtm_analytics.report import Limits, render_html
from report_support import Node, chart_rows, charts, parse, visible_text

# The generator writes every id as a short prefix and a zero-padded number (generate.py:
# `sid('con_', ...)`, `_KEY_IDS`, `_ASSET_PREFIX`): con_0001584, cmpn_0000003, pg_0000008.
RAW_ID = re.compile(r"\b[a-z]{2,5}_\d{7,}\b")
SMALL = Limits(rows=3, options=4, details=2, lines=2, contacts=5)


@pytest.fixture(scope="module", params=["default", "small"])
def page(request: pytest.FixtureRequest, demo_warehouse: Path) -> str:
    return render_html(demo_warehouse, Limits() if request.param == "default" else SMALL)


def dimension(warehouse: Path, sql: str) -> dict[str, tuple]:
    return {row[0]: row[1:] for row in query(warehouse, sql)}


def rows_naming(dom: Node, attribute: str) -> list[Node]:
    """Table rows that stand for an entity: the ones carrying its id in `attribute`."""
    return [
        row
        for row in dom.all("tr")
        if row.attrs.get(attribute) not in (None, "", "\u2013") and "other" not in row.classes()
    ]


def first_cell(row: Node, index: int = 0) -> str:
    """The text of a row's `index`-th cell that is not a figure."""
    cells = [td for td in row.all("td") if td.attrs.get("data-field") is None]
    return visible_text(cells[index]).strip()


def test_no_raw_id_is_shown(page: str) -> None:
    dom = parse(page)
    shown = visible_text(dom)
    assert "Sequences" in shown and "Campaigns" in shown  # the text was found at all
    leaked = sorted(set(RAW_ID.findall(shown)))
    assert not leaked, f"ids shown on the page: {leaked[:10]}"
    for chart_id, spec in charts(page).items():
        drawn = [
            value
            for row in chart_rows(spec)
            for key, value in row.items()
            # ids a chart filters on (the selected sequence or campaign) are not drawn
            if not key.endswith("_id") and isinstance(value, str)
        ]
        leaked = sorted({found for value in drawn for found in RAW_ID.findall(value)})
        assert not leaked, f"{chart_id} draws ids: {leaked[:10]}"


def test_entities_are_shown_by_their_names(page: str, demo_warehouse: Path) -> None:
    dom = parse(page)
    contacts = dimension(
        demo_warehouse, "select contact_id, contact_name, contact_email from marts.dim_contacts"
    )
    companies = dimension(
        demo_warehouse, "select company_id, company_name from marts.dim_companies"
    )
    templates = dimension(
        demo_warehouse, "select template_id, template_name, subject from marts.dim_email_templates"
    )
    users = dimension(demo_warehouse, "select user_id, user_name, user_email from marts.dim_users")
    campaigns = dimension(
        demo_warehouse, "select campaign_id, campaign_name from marts.campaign_overview"
    )
    sequences = dimension(
        demo_warehouse, "select sequence_id, sequence_name from marts.sequence_performance"
    )

    engaged = dom.one("table", data_testid="engaged-contacts")
    listed = rows_naming(engaged, "data-contact")
    assert listed
    for row in listed:
        name, email = contacts[row.attrs["data-contact"]]
        contact = first_cell(row, 0)
        assert contact.startswith(name), (contact, name)
        if email:
            assert email in contact
        company_id = row.attrs.get("data-company")
        (company,) = companies[company_id] if company_id else ("\u2013",)
        assert first_cell(row, 1).startswith(company)

    emails = rows_naming(dom.one("table", data_testid="email-performance"), "data-template")
    assert emails
    for row in emails:
        name, subject = templates[row.attrs["data-template"]]
        assert first_cell(row) == f"{name} {subject}".strip()

    scored = rows_naming(dom.one("table", data_testid="sender-score"), "data-user")
    scored += rows_naming(dom.one("table", data_testid="sender-score-pairs"), "data-user")
    assert scored
    for row in scored:
        name, email = users[row.attrs["data-user"]]
        assert first_cell(row).startswith(name) and email in first_cell(row)

    checked = 0
    for row in rows_naming(dom, "data-campaign"):
        assert first_cell(row).startswith(campaigns[row.attrs["data-campaign"]][0])
        checked += 1
    assert checked
    for row in rows_naming(dom.one("table", data_testid="sequence-comparison"), "data-sequence"):
        assert first_cell(row).startswith(sequences[row.attrs["data-sequence"]][0])
    # the selectors offer names too
    for select in dom.all("select", data_control="campaign"):
        for option in select.all("option"):
            assert visible_text(option).strip() == campaigns[option.attrs["value"]][0]


def test_entities_sharing_a_name_stay_apart(demo_warehouse: Path, tmp_path: Path) -> None:
    """Two contacts, users, templates, companies and campaigns each renamed alike: the page
    still tells them apart (by email, subject, domain, else id), and names the rest plainly."""
    twin = tmp_path / "twins.duckdb"
    shutil.copyfile(demo_warehouse, twin)
    dom = parse(render_html(demo_warehouse))

    def two(table: Node, attribute: str) -> list[str]:
        """The first two entities a table lists."""
        return list(dict.fromkeys(row.attrs[attribute] for row in rows_naming(table, attribute)))[
            :2
        ]

    engaged = dom.one("table", data_testid="engaged-contacts")
    contact_ids = two(engaged, "data-contact")
    company_ids = two(engaged, "data-company")
    user_ids = two(dom.one("table", data_testid="sender-score"), "data-user")
    template_ids = two(dom.one("table", data_testid="email-performance"), "data-template")
    campaign_ids = two(dom.one("table", data_testid="campaign-table"), "data-campaign")
    for ids in (contact_ids, company_ids, user_ids, template_ids, campaign_ids):
        assert len(set(ids)) == 2, ids
    con = duckdb.connect(str(twin))
    try:
        for table, key, name in (
            ("dim_contacts", "contact_id", "contact_name"),
            ("dim_companies", "company_id", "company_name"),
            ("dim_users", "user_id", "user_name"),
            ("dim_email_templates", "template_id", "template_name"),
            ("campaign_overview", "campaign_id", "campaign_name"),
        ):
            ids = {
                "dim_contacts": contact_ids,
                "dim_companies": company_ids,
                "dim_users": user_ids,
                "dim_email_templates": template_ids,
                "campaign_overview": campaign_ids,
            }[table]
            con.execute(f"update marts.{table} set {name} = 'Same Name' where {key} in (?, ?)", ids)
        # the contact pair also shares its email and company: only the id tells them apart
        con.execute(
            "update marts.dim_contacts set contact_email = 'same@example.com', "
            "company_name = 'Same Company' where contact_id in (?, ?)",
            contact_ids,
        )
    finally:
        con.close()
    page = render_html(twin)
    dom = parse(page)

    def shown(table: Node, attribute: str, ids: list[str], index: int = 0) -> list[str]:
        by_id = {
            row.attrs[attribute]: first_cell(row, index) for row in rows_naming(table, attribute)
        }
        return [by_id[i] for i in ids]

    contacts = shown(dom.one("table", data_testid="engaged-contacts"), "data-contact", contact_ids)
    assert all(text.startswith("Same Name") for text in contacts)
    assert contacts[0] != contacts[1]
    assert all(contact_id in text for contact_id, text in zip(contact_ids, contacts, strict=True))
    companies = shown(
        dom.one("table", data_testid="engaged-contacts"), "data-company", company_ids, 1
    )
    assert companies[0] != companies[1] and all(c.startswith("Same Name (") for c in companies)
    users = shown(dom.one("table", data_testid="sender-score"), "data-user", user_ids)
    assert users[0] != users[1] and all(u.startswith("Same Name") for u in users)
    chart_users = {row["user"] for row in chart_rows(charts(page)["chart-sender-score"])}
    assert len([u for u in chart_users if u.startswith("Same Name (")]) == 2
    templates = {
        row.attrs["data-template"]: first_cell(row)
        for row in rows_naming(dom.one("table", data_testid="email-performance"), "data-template")
    }
    assert templates[template_ids[0]] != templates[template_ids[1]]
    campaigns = shown(dom.one("table", data_testid="campaign-table"), "data-campaign", campaign_ids)
    assert campaigns[0] != campaigns[1] and all(c.startswith("Same Name (") for c in campaigns)
