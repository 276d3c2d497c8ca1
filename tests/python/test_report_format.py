"""How the dashboard writes figures and names entities, on small hand-made inputs (no
warehouse, no browser): counts, shortened counts, rates and money; unique labels of
entities that share a name."""

from __future__ import annotations

from collections.abc import Iterator

import duckdb
import pytest

from gtm_analytics.report_format import (
    CHART_FORMATS,
    chart_expr,
    chart_format,
    fmt_compact,
    fmt_count,
    fmt_money,
    fmt_rate,
    glance,
)
from gtm_analytics.report_names import CONTACTS, SEQUENCES, Entity, label_text, labels

NB = "\u00a0"  # the no-break space between a figure and its unit
DASH = "\u2013"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, DASH),
        (0, "0"),
        (7, "7"),
        (9_999, "9,999"),
        (10_000, f"10{NB}k"),
        (37_000, f"37{NB}k"),
        (37_449, f"37.4{NB}k"),
        (99_960, f"100{NB}k"),
        (375_499, f"375{NB}k"),
        (999_600, f"1{NB}M"),
        (1_234_567, f"1.2{NB}M"),
        (37_500_000, f"37.5{NB}M"),
        (999_999_999, f"1{NB}B"),
        (3_000_000_000, f"3{NB}B"),
        (-12_345, f"-12.3{NB}k"),
        (2.5, "2.5"),
        (0.25, "0.25"),
    ],
)
def test_compact_counts(value: float | None, expected: str) -> None:
    assert fmt_compact(value) == expected


def test_counts_rates_and_money() -> None:
    assert fmt_count(1_234_567) == "1,234,567"
    assert fmt_count(None) == DASH
    assert fmt_rate(0.375) == f"37.5{NB}%"
    assert fmt_rate(1) == f"100.0{NB}%"
    assert fmt_rate(None) == DASH
    assert fmt_money(1_234_567.5) == "1,234,567.50"
    assert fmt_money(-3.5) == "-3.50"
    # a tie is rounded away from zero, as the browser's toFixed does in the charts
    assert fmt_money(0.125) == "0.13"
    assert fmt_money(float("nan")) == DASH


def test_a_card_shows_a_large_count_short_and_the_exact_one_on_hover() -> None:
    assert glance(812) == "812"
    shown = glance(1_234_567)
    assert f">1.2{NB}M<" in shown and 'title="1,234,567"' in shown
    # an amount stays exact up to a million, then is shortened too
    assert glance(519_220.97, money=True) == "519,220.97"
    shown = glance(2_010_935_349.6, money=True)
    assert f">2{NB}B<" in shown and 'data-exact="2,010,935,349.60"' in shown
    assert glance(None, money=True) == DASH


def test_chart_formats_are_named_kinds() -> None:
    assert chart_format("rate") == {"format": "rate", "formatType": "gtmFormat"}
    assert chart_expr("datum.x", "count") == "gtmFormat(datum.x, 'count')"
    with pytest.raises(ValueError, match="unknown chart format"):
        chart_format(".1%")
    assert set(CHART_FORMATS) == {"count", "compact", "rate", "rate0", "money"}


# --------------------------------------------------------------------------- labels


@pytest.fixture
def marts() -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect()
    con.execute("create schema marts")
    con.execute(
        """
        create table marts.dim_contacts as select * from (values
            ('c1', 'Ann Lee', 'ann@a.example', 'Acme'),
            ('c2', 'Ann Lee', 'ann@b.example', 'Acme'),
            ('c3', 'Bo Chen', 'bo@c.example', 'Acme'),
            ('c4', 'Cy Dahl', null, 'Acme'),
            ('c5', 'Cy Dahl', null, 'Bolt'),
            ('c6', '  ', 'blank@d.example', null),
            ('c7', 'Ann Lee', 'ann@a.example', 'Acme'),
            ('c8', 'Di Eck', null, null),
            ('c9', 'Di Eck', null, null),
            ('c10', 'Cy Dahl', 'cy@e.example', 'Bolt')
        ) as t(contact_id, contact_name, contact_email, company_name)
        """
    )
    con.execute(
        """
        create table marts.sequence_performance as select * from (values
            ('s1', 'Outbound', false), ('s2', 'Outbound', true), ('s3', null, false)
        ) as t(sequence_id, sequence_name, is_deleted)
        """
    )
    yield con
    con.close()


def query_of(con: duckdb.DuckDBPyConnection):
    def run(sql: str, params=()) -> list[dict]:
        cursor = con.execute(sql, list(params))
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    return run


def test_labels_tell_entities_of_one_name_apart(marts: duckdb.DuckDBPyConnection) -> None:
    found = labels(
        query_of(marts), CONTACTS, ["c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "absent"]
    )
    text = {key: label.text for key, label in found.items()}
    assert text == {
        # the name, where no other contact has it
        "c3": "Bo Chen",
        # a shared name: the email tells them apart ...
        "c2": "Ann Lee (ann@b.example)",
        # ... else the company (no email here; c10's email tells it apart from c5) ...
        "c4": "Cy Dahl (Acme)",
        "c5": "Cy Dahl (Bolt)",
        # ... else the id
        "c1": "Ann Lee (c1)",
        "c7": "Ann Lee (c7)",
        "c8": "Di Eck (c8)",
        # a blank name: the email stands in
        "c6": "blank@d.example",
    }
    assert sorted(key for key, label in found.items() if label.by_id) == ["c1", "c7", "c8"]
    # a table shows the name, and the first detail (the email) below it
    assert found["c2"].name == "Ann Lee" and found["c2"].detail == "ann@b.example"
    assert found["c4"].name == "Cy Dahl" and found["c4"].detail is None
    # an id the marts do not name keeps the id (the only name there is)
    assert label_text(found, "absent") == "absent"
    assert label_text(found, "absent", "From the mart") == "From the mart"
    assert label_text(found, None) == DASH
    assert labels(query_of(marts), CONTACTS, [None]) == {}


def test_sequence_labels_say_deleted(marts: duckdb.DuckDBPyConnection) -> None:
    found = labels(query_of(marts), SEQUENCES, ["s1", "s2", "s3"])
    assert {key: label.text for key, label in found.items()} == {
        "s1": "Outbound",
        "s2": "Outbound (deleted)",
        "s3": "s3",
    }


def test_an_entity_kind_is_any_query_of_id_name_and_detail(
    marts: duckdb.DuckDBPyConnection,
) -> None:
    kind = Entity(
        "thing",
        "select * from (values ('t1', 'One', null), ('t2', 'Two', 'x'), ('t3', 'Two', 'x')) "
        "as t(id, name, detail)",
    )
    found = labels(query_of(marts), kind, ["t1", "t2"])
    assert {key: label.text for key, label in found.items()} == {"t1": "One", "t2": "Two (t2)"}
