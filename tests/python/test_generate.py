"""Tests of the synthetic data generator (`gtm_analytics.generate`).

The demo data is generated once per session (the `raw_csv_dir` and
`raw_parquet_dir` fixtures of conftest.py) and read back into DuckDB with each
column parsed as the raw contract says, so every check below is a query on the
files exactly as the warehouse receives them.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

import gtm_analytics.generate as generator
from gtm_analytics.generate import DATA_NOW, generate
from gtm_analytics.raw_tables import (
    OPTIONAL_TABLES,
    PRIMARY_KEYS,
    RAW_CONTRACT,
    RAW_TABLES,
    Column,
)

NOW = DATA_NOW.strftime("%Y-%m-%d %H:%M:%S+00")


def _typed(column: Column) -> str:
    """A column parsed as the contract says; enums trimmed and upper-cased."""
    name = column.name
    casts = {
        "timestamp": "TIMESTAMPTZ",
        "boolean": "BOOLEAN",
        "integer": "INTEGER",
        "numeric": "DOUBLE",
        "decimal": "DECIMAL(18, 2)",
        "date": "DATE",
    }
    if column.type == "enum":
        return f"upper(trim({name})) AS {name}"
    if column.type in casts:
        return f"CAST({name} AS {casts[column.type]}) AS {name}"
    return name


def _reader(directory: Path, table: str, fmt: str) -> str:
    path = directory / f"{table}.{fmt}"
    if fmt == "csv":
        columns = ", ".join(f"'{name}': 'VARCHAR'" for name in RAW_TABLES[table])
        return (
            f"read_csv('{path}', header = true, delim = ',', quote = '\"', escape = '\"', "
            f"auto_detect = false, columns = {{{columns}}})"
        )
    return f"read_parquet('{path}')"


def _connect(directory: Path, fmt: str) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with one typed view per raw table of `directory`."""
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    for table, columns in RAW_CONTRACT.items():
        select = ", ".join(_typed(column) for column in columns)
        con.execute(f"CREATE VIEW {table} AS SELECT {select} FROM {_reader(directory, table, fmt)}")
    # the latest copy of each enrollment (duplicates: the latest updated_at wins)
    con.execute(
        """
        CREATE VIEW enrollments AS
        SELECT * FROM sequence_enrollments
        QUALIFY row_number() OVER (PARTITION BY enrollment_id ORDER BY updated_at DESC) = 1
        """
    )
    con.execute(
        f"""
        CREATE VIEW started AS
        SELECT * FROM enrollments
        WHERE enrolled_at <= TIMESTAMPTZ '{NOW}' AND enrollment_state <> 'SCHEDULED'
        """
    )
    return con


@pytest.fixture(scope="module")
def db(raw_csv_dir: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """The demo CSV files, parsed."""
    con = _connect(raw_csv_dir, "csv")
    yield con
    con.close()


def _one(con: duckdb.DuckDBPyConnection, sql: str) -> object:
    return con.execute(sql).fetchall()[0][0]


# --------------------------------------------------------------------------- #
# Files, determinism, formats
# --------------------------------------------------------------------------- #


def test_raw_tables_module() -> None:
    assert list(RAW_TABLES)[:3] == ["users", "companies", "contacts"]
    assert list(RAW_TABLES)[-1] == "campaign_spend"
    assert len(RAW_TABLES) == 23
    assert OPTIONAL_TABLES == {"campaign_spend"}
    assert set(PRIMARY_KEYS) == set(RAW_TABLES)
    for table, key in PRIMARY_KEYS.items():
        assert set(key) <= set(RAW_TABLES[table]), table


def test_every_table_and_column_in_contract_order(raw_csv_dir: Path, raw_parquet_dir: Path) -> None:
    assert sorted(p.name for p in raw_csv_dir.iterdir()) == sorted(f"{t}.csv" for t in RAW_TABLES)
    for table, columns in RAW_TABLES.items():
        header = (raw_csv_dir / f"{table}.csv").read_text().splitlines()[0]
        assert header.split(",") == columns, table
        assert pq.read_schema(raw_parquet_dir / f"{table}.parquet").names == columns, table


def test_parquet_types(raw_parquet_dir: Path) -> None:
    expected = {
        "timestamp": "timestamp[us, tz=UTC]",
        "boolean": "bool",
        "integer": "int32",
        "numeric": "int32",
        "decimal": "decimal128(18, 2)",
        "date": "date32[day]",
        "enum": "string",
        "text": "string",
    }
    for table, columns in RAW_CONTRACT.items():
        schema = pq.read_schema(raw_parquet_dir / f"{table}.parquet")
        for column in columns:
            assert str(schema.field(column.name).type) == expected[column.type], (
                table,
                column.name,
            )


def test_same_seed_gives_identical_bytes(raw_csv_dir: Path, tmp_path: Path) -> None:
    counts = generate(tmp_path / "again", seed=42)
    for table in RAW_TABLES:
        first = (raw_csv_dir / f"{table}.csv").read_bytes()
        assert (tmp_path / "again" / f"{table}.csv").read_bytes() == first, table
        assert counts[table] == first.count(b"\n") - 1, table


def test_thread_count_does_not_change_bytes(
    raw_csv_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    connect = duckdb.connect

    def one_thread(*args: object, **kwargs: object) -> duckdb.DuckDBPyConnection:
        con = connect(*args, **kwargs)  # type: ignore[arg-type]
        con.execute("SET threads = 1")
        return con

    monkeypatch.setattr(duckdb, "connect", one_thread)
    generate(tmp_path, seed=42)
    for table in RAW_TABLES:
        a = (raw_csv_dir / f"{table}.csv").read_bytes()
        assert (tmp_path / f"{table}.csv").read_bytes() == a, table


def test_parquet_is_deterministic(raw_parquet_dir: Path, tmp_path: Path) -> None:
    generate(tmp_path, seed=42, fmt="parquet")
    for table in RAW_TABLES:
        a = (raw_parquet_dir / f"{table}.parquet").read_bytes()
        assert (tmp_path / f"{table}.parquet").read_bytes() == a, table


def test_different_seed_gives_different_data(raw_csv_dir: Path, tmp_path: Path) -> None:
    generate(tmp_path, seed=7)
    for table in ("contacts", "sequence_enrollments", "email_events", "web_sessions"):
        assert (tmp_path / f"{table}.csv").read_bytes() != (
            raw_csv_dir / f"{table}.csv"
        ).read_bytes(), table
    # the other seed is a valid data set too: same shape, realistic rates
    con = _connect(tmp_path, "csv")
    try:
        assert 0.05 <= _reply_rate(con) <= 0.15
        assert 0.30 <= _open_rate(con) <= 0.60
    finally:
        con.close()


def test_parquet_and_csv_hold_the_same_data(raw_csv_dir: Path, raw_parquet_dir: Path) -> None:
    con = _connect(raw_csv_dir, "csv")
    try:
        con.execute("SET TimeZone = 'UTC'")
        for table, columns in RAW_CONTRACT.items():
            raw_csv = _reader(raw_csv_dir, table, "csv")
            raw_pq = _reader(raw_parquet_dir, table, "parquet")
            # enums compared as written (same case/space variants in both formats)
            cols = ", ".join(c.name if c.type == "enum" else _typed(c) for c in columns)
            for a, b in ((raw_csv, raw_pq), (raw_pq, raw_csv)):
                diff = _one(
                    con,
                    f"SELECT count(*) FROM (SELECT {cols} FROM {a} EXCEPT ALL "
                    f"SELECT {cols} FROM {b})",
                )
                assert diff == 0, table
            rows = [_one(con, f"SELECT count(*) FROM {r}") for r in (raw_csv, raw_pq)]
            assert rows[0] == rows[1], table
    finally:
        con.close()


def test_csv_text_forms(raw_csv_dir: Path) -> None:
    text = (raw_csv_dir / "email_events.csv").read_text()
    assert "Z," in text and "+01:00," in text and "-05:00," in text
    enrollments = (raw_csv_dir / "sequence_enrollments.csv").read_text()
    assert ",true," not in enrollments  # no boolean column there
    steps = (raw_csv_dir / "sequence_steps.csv").read_text()
    assert ",true," in steps and ",false," in steps
    booleans = "".join(
        (raw_csv_dir / f"{t}.csv").read_text() for t in ("deals", "inbound_emails", "email_events")
    )
    for variant in (",1,", ",0,", ",T,", ",F,", ",True", ",False"):
        assert variant in booleans, variant
    assert "." not in "".join(line.split(",")[3] for line in text.splitlines()[1:200]), (
        "no fractional seconds"
    )


def test_scale_sizes_proportionally(tmp_path: Path) -> None:
    counts = generate(tmp_path, seed=1, scale=0.05, fmt="parquet")
    assert 35_000 <= counts["email_events"] <= 65_000
    assert counts["sequence_enrollments"] > 10_000
    groups = counts["users"] // 8
    assert groups >= 4 and counts["users"] == 8 * groups
    assert counts["sequences"] == 12 * groups and counts["campaigns"] == 6 * groups
    con = _connect(tmp_path, "parquet")
    try:
        for table, key in PRIMARY_KEYS.items():
            if table in ("email_events", "marketing_email_events", "sequence_enrollments"):
                continue
            keys = ", ".join(key)
            dupes = _one(
                con,
                f"SELECT count(*) FROM (SELECT {keys} FROM {table} GROUP BY ALL "
                "HAVING count(*) > 1)",
            )
            assert dupes == 0, table
        assert 0.05 <= _reply_rate(con) <= 0.15
    finally:
        con.close()


def test_scale_parquet_is_identical_across_thread_counts(tmp_path: Path) -> None:
    # DuckDB hands over its results split differently with one thread than with
    # several; the files must not show it
    one = generate(tmp_path / "one", seed=5, scale=0.2, fmt="parquet", threads=1)
    two = generate(tmp_path / "two", seed=5, scale=0.2, fmt="parquet", threads=2)
    assert one == two
    assert 150_000 <= one["email_events"] <= 250_000
    for table in RAW_TABLES:
        a = (tmp_path / "one" / f"{table}.parquet").read_bytes()
        assert (tmp_path / "two" / f"{table}.parquet").read_bytes() == a, table
    # the work folder (spill files, unfinished files) is gone
    assert sorted(p.name for p in (tmp_path / "one").iterdir()) == sorted(
        f"{t}.parquet" for t in RAW_TABLES
    )


def test_chunks_do_not_change_the_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # big tables are built a range of keys at a time; tiny ranges give the same rows
    # in the same order (CSV chunks are appended, so the bytes must match exactly),
    # also when several chunks are built at once (8 threads: two at a time)
    whole = generate(tmp_path / "whole", seed=9, scale=0.05)
    monkeypatch.setattr(generator, "ENROLLMENTS_PER_CHUNK", 3_000)
    monkeypatch.setattr(generator, "CONTACTS_PER_CHUNK", 2_500)
    monkeypatch.setattr(generator, "KEYS_PER_CHUNK", 500)
    chunked = generate(tmp_path / "chunked", seed=9, scale=0.05, threads=8)
    assert chunked == whole
    for table in RAW_TABLES:
        a = (tmp_path / "whole" / f"{table}.csv").read_bytes()
        assert (tmp_path / "chunked" / f"{table}.csv").read_bytes() == a, table


# --------------------------------------------------------------------------- #
# The contract
# --------------------------------------------------------------------------- #


def test_non_null_columns_and_enum_values(db: duckdb.DuckDBPyConnection) -> None:
    for table, columns in RAW_CONTRACT.items():
        for column in columns:
            if not column.nullable:
                nulls = _one(db, f"SELECT count(*) FROM {table} WHERE {column.name} IS NULL")
                assert nulls == 0, (table, column.name)
            if column.values:
                seen = {
                    row[0]
                    for row in db.execute(
                        f"SELECT DISTINCT {column.name} FROM {table} "
                        f"WHERE {column.name} IS NOT NULL"
                    ).fetchall()
                }
                assert seen == set(column.values), (table, column.name, seen)


def test_primary_keys(db: duckdb.DuckDBPyConnection) -> None:
    for table, key in PRIMARY_KEYS.items():
        keys = ", ".join(key)
        groups = f"SELECT {keys}, count(*) AS n, count(DISTINCT t) AS versions FROM (SELECT *, t::VARCHAR AS t FROM {table} AS t) GROUP BY ALL HAVING count(*) > 1"  # noqa: E501
        repeated, differing = db.execute(
            f"SELECT count(*), count(*) FILTER (WHERE versions > 1) FROM ({groups})"
        ).fetchall()[0]
        if table in ("email_events", "marketing_email_events"):
            assert repeated >= 3 and differing == 0, table  # exact repeats only
        elif table == "sequence_enrollments":
            assert repeated >= 3 and differing == repeated, table
        else:
            assert repeated == 0, table


def test_enrollment_rules(db: duckdb.DuckDBPyConnection) -> None:
    broken = {
        "ended_at set exactly when ended": """
            (enrollment_state IN ('FINISHED', 'UNENROLLED')) <> (ended_at IS NOT NULL)""",
        "unenroll_source only when unenrolled": """
            (unenroll_source IS NOT NULL) <> (enrollment_state = 'UNENROLLED')""",
        "error_type exactly with ERROR": "(error_type IS NOT NULL) <> (unenroll_source = 'ERROR')",
        "ended after enrolled": "ended_at < enrolled_at",
        "scheduled: in the future, no step": f"""
            enrollment_state = 'SCHEDULED' AND (enrolled_at <= TIMESTAMPTZ '{NOW}'
                OR current_step_order IS NOT NULL OR updated_at > TIMESTAMPTZ '{NOW}')""",
        "only scheduled ones start after now": f"""
            enrollment_state <> 'SCHEDULED' AND enrolled_at > TIMESTAMPTZ '{NOW}'""",
        "ended or updated after now": f"""
            ended_at > TIMESTAMPTZ '{NOW}' OR updated_at > TIMESTAMPTZ '{NOW}'""",
    }
    for rule, where in broken.items():
        assert _one(db, f"SELECT count(*) FROM sequence_enrollments WHERE {where}") == 0, rule


def test_older_enrollment_copies_also_come_after_the_latest(raw_csv_dir: Path) -> None:
    """Latest `updated_at` must win, not the last row of the file."""
    with (raw_csv_dir / "sequence_enrollments.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    seen: dict[str, datetime] = {}
    older_after, newer_after = 0, 0
    for row in rows:
        updated = datetime.fromisoformat(row["updated_at"])
        if updated.tzinfo is None:
            updated = updated.replace(tzinfo=UTC)
        first = seen.setdefault(row["enrollment_id"], updated)
        if first is not updated:
            older_after += updated < first
            newer_after += updated > first
    assert older_after >= 3 and newer_after >= 3


def test_scheduled_enrollments_have_no_activity(db: duckdb.DuckDBPyConnection) -> None:
    for table in ("sequence_emails", "tasks"):
        assert (
            _one(
                db,
                f"""
            SELECT count(*) FROM {table} JOIN enrollments USING (enrollment_id)
            WHERE enrollment_state = 'SCHEDULED'
        """,
            )
            == 0
        ), table


def test_step_rules(db: duckdb.DuckDBPyConnection) -> None:
    assert (
        _one(
            db,
            """
        SELECT count(*) FROM (
            SELECT sequence_id, step_order FROM sequence_steps WHERE NOT is_deleted
            GROUP BY ALL HAVING count(*) > 1)
    """,
        )
        == 0
    )
    # EDGE: a deleted step shares its order with a live one
    assert (
        _one(
            db,
            """
        SELECT count(*) FROM sequence_steps AS d JOIN sequence_steps AS l
            ON l.sequence_id = d.sequence_id AND l.step_order = d.step_order
        WHERE d.is_deleted AND NOT l.is_deleted
    """,
        )
        >= 1
    )
    assert (
        _one(
            db,
            """
        SELECT count(*) FROM sequence_steps
        WHERE (template_id IS NOT NULL)
            <> (action_type IN ('AUTOMATED_EMAIL', 'MANUAL_EMAIL_TASK'))
    """,
        )
        == 0
    )
    assert _one(db, "SELECT min(step_order) FROM sequence_steps") == 1


def test_references_are_consistent(db: duckdb.DuckDBPyConnection) -> None:
    bad = {
        "email contact and sender are the enrollment's": """
            SELECT count(*) FROM sequence_emails AS m JOIN enrollments AS e USING (enrollment_id)
            WHERE m.contact_id <> e.contact_id OR m.sender_user_id <> e.enrolled_by_user_id""",
        "email step belongs to the enrollment's sequence": """
            SELECT count(*) FROM sequence_emails AS m JOIN enrollments AS e USING (enrollment_id)
            JOIN sequence_steps AS s USING (step_id) WHERE s.sequence_id <> e.sequence_id""",
        "task step belongs to the enrollment's sequence": """
            SELECT count(*) FROM tasks AS t JOIN enrollments AS e USING (enrollment_id)
            JOIN sequence_steps AS s USING (step_id)
            WHERE s.sequence_id <> e.sequence_id OR t.owner_user_id <> e.enrolled_by_user_id""",
        "emails of unknown enrollments": """
            SELECT count(*) FROM sequence_emails WHERE enrollment_id NOT IN
            (SELECT enrollment_id FROM enrollments)""",
        "enrollments of unknown contacts or sequences": """
            SELECT count(*) FROM enrollments
            WHERE contact_id NOT IN (SELECT contact_id FROM contacts)
               OR sequence_id NOT IN (SELECT sequence_id FROM sequences)""",
        "sent before the enrollment": """
            SELECT count(*) FROM sequence_emails AS m JOIN enrollments AS e USING (enrollment_id)
            WHERE m.sent_at < e.enrolled_at""",
        "tasks of email steps without email task type": """
            SELECT count(*) FROM tasks AS t JOIN sequence_steps AS s USING (step_id)
            WHERE (t.task_type = 'EMAIL') <> (s.action_type = 'MANUAL_EMAIL_TASK')""",
        "deal flags": """
            SELECT count(*) FROM deals WHERE (is_closed_won AND NOT is_closed)
            OR is_closed <> (closed_at IS NOT NULL)""",
        "visitor ids of sessions": """
            SELECT count(*) FROM pageviews AS p JOIN web_sessions AS s USING (session_id)
            WHERE p.visitor_id <> s.visitor_id OR p.viewed_at < s.started_at""",
        "assets of unknown campaigns": """
            SELECT count(*) FROM campaign_assets WHERE campaign_id NOT IN
            (SELECT campaign_id FROM campaigns)""",
        "clicks with no visitor and no contact": """
            SELECT count(*) FROM asset_clicks WHERE visitor_id IS NULL AND contact_id IS NULL""",
    }
    for rule, sql in bad.items():
        assert _one(db, sql) == 0, rule
    # emails mostly use the step's template, sometimes another (template changed since)
    same, other = db.execute("""
        SELECT count(*) FILTER (WHERE m.template_id = s.template_id),
               count(*) FILTER (WHERE m.template_id <> s.template_id)
        FROM sequence_emails AS m JOIN sequence_steps AS s USING (step_id)
    """).fetchall()[0]
    assert other >= 5 and same > 10 * other


def test_default_as_of_is_data_now(db: duckdb.DuckDBPyConnection) -> None:
    parts = [
        "SELECT max(sent_at) FROM sequence_emails",
        "SELECT max(occurred_at) FROM email_events",
        "SELECT max(received_at) FROM inbound_emails",
        "SELECT max(created_at) FROM tasks",
        "SELECT max(booked_at) FROM meetings",
        "SELECT max(updated_at) FROM sequence_enrollments",
        "SELECT max(created_at) FROM deals",
        "SELECT max(closed_at) FROM deals",
        "SELECT max(started_at) FROM web_sessions",
        "SELECT max(viewed_at) FROM pageviews",
        "SELECT max(submitted_at) FROM form_submissions",
        "SELECT max(occurred_at) FROM marketing_email_events",
        "SELECT max(clicked_at) FROM asset_clicks",
    ]
    latest = _one(db, "SELECT max(m) FROM (" + " UNION ALL ".join(parts) + ") AS t(m)")
    assert isinstance(latest, datetime)
    assert latest == DATA_NOW
    first = _one(db, "SELECT min(enrolled_at) FROM enrollments")
    assert (DATA_NOW - first).days > 365  # about 18 months of data


# --------------------------------------------------------------------------- #
# Realistic rates
# --------------------------------------------------------------------------- #


def _reply_rate(con: duckdb.DuckDBPyConnection) -> float:
    return float(
        _one(
            con,
            f"""
        SELECT avg(CASE WHEN e.unenroll_source IN ('REPLY', 'THREAD_REPLY') OR EXISTS (
            SELECT 1 FROM inbound_emails AS i WHERE i.contact_id = e.contact_id
              AND NOT i.is_auto_reply AND i.received_at >= e.enrolled_at
              AND i.received_at <= coalesce(e.ended_at, TIMESTAMPTZ '{NOW}')) THEN 1 ELSE 0 END)
        FROM started AS e
    """,
        )
    )


def _event_rate(con: duckdb.DuckDBPyConnection, event_type: str) -> float:
    return float(
        _one(
            con,
            f"""
        SELECT avg(CASE WHEN EXISTS (
            SELECT 1 FROM sequence_emails AS m JOIN email_events AS v USING (email_id)
            WHERE m.enrollment_id = e.enrollment_id AND v.event_type = '{event_type}'
              AND v.is_bot IS DISTINCT FROM true) THEN 1 ELSE 0 END)
        FROM started AS e
    """,
        )
    )


def _open_rate(con: duckdb.DuckDBPyConnection) -> float:
    return _event_rate(con, "OPEN")


def test_realistic_rates(db: duckdb.DuckDBPyConnection) -> None:
    assert 0.05 <= _reply_rate(db) <= 0.15
    assert 0.30 <= _open_rate(db) <= 0.60
    assert 0.0 < _event_rate(db, "CLICK") < _open_rate(db)
    bounce = float(
        _one(
            db,
            """
        SELECT avg(CASE WHEN e.error_type = 'BOUNCED' OR EXISTS (
            SELECT 1 FROM sequence_emails AS m JOIN email_events AS v USING (email_id)
            WHERE m.enrollment_id = e.enrollment_id AND v.event_type = 'BOUNCE')
            THEN 1 ELSE 0 END)
        FROM started AS e
    """,
        )
    )
    assert 0.01 <= bounce <= 0.05
    meeting = float(
        _one(
            db,
            """
        SELECT avg(CASE WHEN unenroll_source = 'MEETING' THEN 1 ELSE 0 END) FROM started
    """,
        )
    )
    assert 0.01 <= meeting <= 0.05


def test_sender_score_thresholds(db: duckdb.DuckDBPyConnection) -> None:
    per_user = dict(
        db.execute("""
        SELECT enrolled_by_user_id, count(*) FROM started
        WHERE enrollment_state IN ('FINISHED', 'UNENROLLED') GROUP BY ALL
    """).fetchall()
    )
    above = [u for u, n in per_user.items() if n >= 100]
    assert 1 <= len(above) <= 2, per_user
    assert len(per_user) - len(above) >= 4
    pairs = [
        n
        for (n,) in db.execute("""
        SELECT count(*) FILTER (WHERE enrollment_state IN ('FINISHED', 'UNENROLLED'))
        FROM started GROUP BY enrolled_by_user_id, sequence_id
    """).fetchall()
    ]
    assert 100 in pairs and 101 in pairs  # EDGE: exactly at the per-sequence threshold


def test_volumes(raw_csv_dir: Path) -> None:
    lines = {t: (raw_csv_dir / f"{t}.csv").read_text().count("\n") - 1 for t in RAW_TABLES}
    assert 30_000 <= sum(lines.values()) <= 46_000, lines
    assert 7 <= lines["users"] <= 10 and 10 <= lines["sequences"] <= 14
    assert 1_500 <= lines["contacts"] <= 3_000
    assert 2_000 <= lines["sequence_enrollments"] <= 3_000
    assert 8_000 <= lines["email_events"] <= 14_000


# --------------------------------------------------------------------------- #
# Edge cases (each must exist in the demo data)
# --------------------------------------------------------------------------- #

EDGE_CASES: dict[str, str] = {
    "exact repeats of email events": """
        SELECT count(*) FROM (SELECT event_id FROM email_events
        GROUP BY ALL HAVING count(*) > 1)""",
    "exact repeats of marketing email events": """
        SELECT count(*) FROM (SELECT event_id FROM marketing_email_events GROUP BY ALL
        HAVING count(*) > 1)""",
    "older enrollment copy with another state": """
        SELECT count(*) FROM sequence_enrollments AS a JOIN enrollments AS b USING (enrollment_id)
        WHERE a.updated_at < b.updated_at AND a.enrollment_state <> b.enrollment_state""",
    "bot opens": "SELECT count(*) FROM email_events WHERE event_type = 'OPEN' AND is_bot",
    "bot clicks": "SELECT count(*) FROM email_events WHERE event_type = 'CLICK' AND is_bot",
    "opens and clicks with is_bot null": """
        SELECT count(*) FROM email_events
        WHERE event_type IN ('OPEN', 'CLICK') AND is_bot IS NULL""",
    "enrollments whose only opens are bot opens": """
        SELECT count(*) FROM started AS e WHERE EXISTS (
            SELECT 1 FROM sequence_emails AS m JOIN email_events AS v USING (email_id)
            WHERE m.enrollment_id = e.enrollment_id AND v.event_type = 'OPEN' AND v.is_bot)
        AND NOT EXISTS (
            SELECT 1 FROM sequence_emails AS m JOIN email_events AS v USING (email_id)
            WHERE m.enrollment_id = e.enrollment_id AND v.event_type = 'OPEN'
              AND v.is_bot IS DISTINCT FROM true)""",
    "hard bounces": "SELECT count(*) FROM email_events WHERE bounce_type = 'HARD'",
    "soft bounces": "SELECT count(*) FROM email_events WHERE bounce_type = 'SOFT'",
    "ERROR/BOUNCED without a BOUNCE event": """
        SELECT count(*) FROM enrollments AS e WHERE error_type = 'BOUNCED' AND NOT EXISTS (
            SELECT 1 FROM sequence_emails AS m JOIN email_events AS v USING (email_id)
            WHERE m.enrollment_id = e.enrollment_id AND v.event_type = 'BOUNCE')""",
    "UNSUBSCRIBE events": "SELECT count(*) FROM email_events WHERE event_type = 'UNSUBSCRIBE'",
    "error_type UNSUBSCRIBED": "SELECT count(*) FROM enrollments WHERE error_type = 'UNSUBSCRIBED'",
    "deleted steps with executed emails": """
        SELECT count(*) FROM sequence_emails JOIN sequence_steps USING (step_id)
        WHERE is_deleted""",
    "deleted steps with tasks": """
        SELECT count(*) FROM tasks JOIN sequence_steps USING (step_id) WHERE is_deleted""",
    "scheduled enrollments": """
        SELECT count(*) FROM enrollments
        WHERE enrollment_state = 'SCHEDULED'""",
    "executing enrollments that have not run a step": """
        SELECT count(*) FROM enrollments
        WHERE enrollment_state = 'EXECUTING' AND current_step_order IS NULL""",
    "enrollments of the deleted sequence": """
        SELECT count(*) FROM enrollments JOIN sequences USING (sequence_id) WHERE is_deleted""",
    "replies answering a sequence email": """
        SELECT count(*) FROM inbound_emails WHERE in_reply_to_email_id IS NOT NULL
        AND NOT is_auto_reply""",
    "replies answering no sequence email, in a window": """
        SELECT count(*) FROM inbound_emails AS i JOIN started AS e USING (contact_id)
        WHERE i.in_reply_to_email_id IS NULL AND NOT i.is_auto_reply
          AND i.received_at BETWEEN e.enrolled_at AND coalesce(e.ended_at, TIMESTAMPTZ '{now}')""",
    "auto-replies": "SELECT count(*) FROM inbound_emails WHERE is_auto_reply",
    "a reply before the enrollment": """
        SELECT count(*) FROM inbound_emails AS i JOIN started AS e USING (contact_id)
        WHERE NOT i.is_auto_reply AND i.received_at < e.enrolled_at
          AND i.received_at > e.enrolled_at - INTERVAL 11 DAY""",
    "a reply to an earlier step's email after a later step ran": """
        SELECT count(*) FROM inbound_emails AS i
        JOIN sequence_emails AS m ON m.email_id = i.in_reply_to_email_id
        JOIN sequence_emails AS later ON later.enrollment_id = m.enrollment_id
            AND later.sent_at > m.sent_at AND later.sent_at < i.received_at
        JOIN enrollments AS e ON e.enrollment_id = m.enrollment_id
        WHERE NOT i.is_auto_reply AND i.received_at <= e.ended_at""",
    "replies known only from unenroll_source": """
        SELECT count(*) FROM enrollments AS e WHERE unenroll_source IN ('REPLY', 'THREAD_REPLY')
        AND NOT EXISTS (SELECT 1 FROM inbound_emails AS i WHERE i.contact_id = e.contact_id
            AND NOT i.is_auto_reply AND i.received_at BETWEEN e.enrolled_at AND e.ended_at)""",
    "ACCOUNT_REPLY": "SELECT count(*) FROM enrollments WHERE unenroll_source = 'ACCOUNT_REPLY'",
    "ACCOUNT_MEETING": "SELECT count(*) FROM enrollments WHERE unenroll_source = 'ACCOUNT_MEETING'",
    "meetings booked during the enrollment": """
        SELECT count(*) FROM meetings AS m JOIN started AS e USING (contact_id)
        WHERE m.booked_at BETWEEN e.enrolled_at AND coalesce(e.ended_at, TIMESTAMPTZ '{now}')""",
    "meetings exactly 7 days after ended_at": """
        SELECT count(*) FROM meetings AS m JOIN enrollments AS e USING (contact_id)
        WHERE m.booked_at = e.ended_at + INTERVAL 7 DAY""",
    "meetings 7 days + 1 second after ended_at": """
        SELECT count(*) FROM meetings AS m JOIN enrollments AS e USING (contact_id)
        WHERE m.booked_at = e.ended_at + INTERVAL 7 DAY + INTERVAL 1 SECOND""",
    "meetings well after ended_at": """
        SELECT count(*) FROM meetings AS m JOIN enrollments AS e USING (contact_id)
        WHERE m.booked_at > e.ended_at + INTERVAL 19 DAY
          AND m.booked_at < e.ended_at + INTERVAL 61 DAY""",
    "meetings known only from unenroll_source": """
        SELECT count(*) FROM enrollments AS e WHERE unenroll_source = 'MEETING'
        AND NOT EXISTS (SELECT 1 FROM meetings AS m WHERE m.contact_id = e.contact_id
            AND m.booked_at BETWEEN e.enrolled_at AND e.ended_at)""",
    "completed tasks": """
        SELECT count(*) FROM tasks
        WHERE status = 'COMPLETED' AND completed_at IS NOT NULL""",
    "completed tasks without completed_at": """
        SELECT count(*) FROM tasks WHERE status = 'COMPLETED' AND completed_at IS NULL""",
    "tasks not completed": """
        SELECT count(*) FROM tasks
        WHERE completed_at IS NULL AND status <> 'COMPLETED'""",
    "multi-contact deals": """
        SELECT count(*) FROM (SELECT deal_id FROM deal_contacts
        GROUP BY ALL HAVING count(*) >= 2)""",
    "three-contact deals": """
        SELECT count(*) FROM (SELECT deal_id FROM deal_contacts
        GROUP BY ALL HAVING count(*) = 3)""",
    "deals created after two enrollments of the same contact": """
        SELECT count(*) FROM deals AS d JOIN deal_contacts AS dc USING (deal_id)
        WHERE (SELECT count(*) FROM started AS e WHERE e.contact_id = dc.contact_id
               AND e.enrolled_at <= d.created_at) >= 2""",
    "deals created before any enrollment of their contacts": """
        SELECT count(*) FROM deals AS d JOIN deal_contacts AS dc USING (deal_id)
        WHERE EXISTS (SELECT 1 FROM started AS e WHERE e.contact_id = dc.contact_id)
          AND NOT EXISTS (SELECT 1 FROM started AS e WHERE e.contact_id = dc.contact_id
               AND e.enrolled_at <= d.created_at)""",
    "closed-won deals with amount": """
        SELECT count(*) FROM deals
        WHERE is_closed_won AND amount IS NOT NULL""",
    "closed-won deals without amount": """
        SELECT count(*) FROM deals
        WHERE is_closed_won AND amount IS NULL""",
    "closed-lost deals": "SELECT count(*) FROM deals WHERE is_closed AND NOT is_closed_won",
    "open deals": "SELECT count(*) FROM deals WHERE NOT is_closed",
    "enrollments with company_id null": "SELECT count(*) FROM enrollments WHERE company_id IS NULL",
    "enrollments with another company than the contact's": """
        SELECT count(*) FROM enrollments AS e JOIN contacts AS c USING (contact_id)
        WHERE e.company_id IS NOT NULL AND e.company_id IS DISTINCT FROM c.company_id""",
    "clock-skewed events before sent_at": """
        SELECT count(*) FROM email_events AS v JOIN sequence_emails AS m USING (email_id)
        WHERE v.occurred_at < m.sent_at""",
    "campaigns without utm_campaign": "SELECT count(*) FROM campaigns WHERE utm_campaign IS NULL",
    "campaigns with goals": "SELECT count(*) FROM campaigns WHERE goal_sessions IS NOT NULL",
    "campaigns without goals": """
        SELECT count(*) FROM campaigns WHERE goal_sessions IS NULL AND goal_new_contacts IS NULL""",
    "campaigns with budgets": "SELECT count(*) FROM campaigns WHERE budget_amount IS NOT NULL",
    "a landing page in two campaigns": """
        SELECT count(*) FROM (SELECT asset_id FROM campaign_assets WHERE asset_type = 'LANDING_PAGE'
        GROUP BY ALL HAVING count(DISTINCT campaign_id) = 2)""",
    "a form in two campaigns": """
        SELECT count(*) FROM (SELECT asset_id FROM campaign_assets WHERE asset_type = 'FORM'
        GROUP BY ALL HAVING count(DISTINCT campaign_id) = 2)""",
    "page views of an asset before its association": """
        SELECT count(*) FROM campaign_assets AS a JOIN pageviews AS p
            ON {norm_p} = {norm_a}
        WHERE p.viewed_at < a.associated_at""",
    "asset URLs matching page views only after normalising": """
        SELECT count(*) FROM campaign_assets AS a JOIN pageviews AS p
            ON {norm_p} = {norm_a}
        WHERE a.asset_url <> p.url""",
    "visitors identified after their first session": """
        SELECT count(*) FROM visitor_identities AS v
        WHERE (SELECT min(started_at) FROM web_sessions AS s WHERE s.visitor_id = v.visitor_id)
              < v.identified_at""",
    "contacts with two visitors": """
        SELECT count(*) FROM (SELECT contact_id FROM visitor_identities GROUP BY ALL
        HAVING count(*) = 2)""",
    "anonymous visitors": """
        SELECT count(DISTINCT visitor_id) FROM web_sessions
        WHERE visitor_id NOT IN (SELECT visitor_id FROM visitor_identities)""",
    "paid search with utm_term": """
        SELECT count(*) FROM web_sessions WHERE lower(utm_medium) IN ('cpc', 'ppc', 'paidsearch')
        AND lower(utm_source) IN ('google', 'bing') AND utm_term IS NOT NULL""",
    "paid social": """
        SELECT count(*) FROM web_sessions
        WHERE lower(utm_medium) IN ('paid_social', 'paidsocial')""",
    "email marketing sessions": """
        SELECT count(*) FROM web_sessions
        WHERE lower(utm_medium) IN ('email', 'e-mail', 'newsletter')""",
    "organic social by utm": """
        SELECT count(*) FROM web_sessions
        WHERE lower(utm_medium) IN ('social', 'social-media', 'sm')""",
    "organic social by t.co referrer": """
        SELECT count(*) FROM web_sessions
        WHERE referrer_url LIKE 'https://t.co/%'""",
    "organic social by lnkd.in referrer": """
        SELECT count(*) FROM web_sessions WHERE referrer_url LIKE 'https://lnkd.in/%'""",
    "organic social by facebook referrer": """
        SELECT count(*) FROM web_sessions WHERE referrer_url LIKE 'https://www.facebook.com/%'""",
    "other campaigns": """
        SELECT count(*) FROM web_sessions WHERE utm_source IN ('g2', 'capterra', 'podcast')""",
    "organic search via google.co.uk": """
        SELECT count(*) FROM web_sessions WHERE referrer_url LIKE '%google.co.uk%'
        AND utm_source IS NULL""",
    "organic search via bing": """
        SELECT count(*) FROM web_sessions
        WHERE referrer_url LIKE '%bing.com%' AND utm_source IS NULL""",
    "referrals": """
        SELECT count(*) FROM web_sessions
        WHERE referrer_url LIKE '%g2.com%' AND utm_source IS NULL""",
    "direct": "SELECT count(*) FROM web_sessions WHERE referrer_url IS NULL AND utm_source IS NULL",
    "mixed-case utm values": """
        SELECT count(*) FROM web_sessions WHERE utm_campaign <> lower(trim(utm_campaign))
        OR utm_source <> lower(utm_source) OR utm_medium <> lower(utm_medium)""",
    "form submissions": "SELECT count(*) FROM form_submissions",
    "marketing email bot events": "SELECT count(*) FROM marketing_email_events WHERE is_bot",
    "clicks with contact_id null, identified later": """
        SELECT count(*) FROM asset_clicks AS c JOIN visitor_identities AS v USING (visitor_id)
        WHERE c.contact_id IS NULL""",
    "clicks with a contact known at click time": """
        SELECT count(*) FROM asset_clicks
        WHERE contact_id IS NOT NULL""",
    "campaigns without spend": """
        SELECT count(*) FROM campaigns
        WHERE campaign_id NOT IN (SELECT campaign_id FROM campaign_spend)""",
    "campaign spend": "SELECT count(DISTINCT campaign_id) FROM campaign_spend",
    "contacts created after their first session": """
        SELECT count(*) FROM contacts AS c JOIN visitor_identities AS v USING (contact_id)
        JOIN web_sessions AS s USING (visitor_id) WHERE s.started_at < c.created_at""",
    "deals of contacts with sessions": """
        SELECT count(*) FROM deal_contacts AS dc JOIN visitor_identities AS v USING (contact_id)""",
    "orphan email event": """
        SELECT count(*) FROM email_events
        WHERE email_id NOT IN (SELECT email_id FROM sequence_emails)""",
    "orphan page view": """
        SELECT count(*) FROM pageviews
        WHERE session_id NOT IN (SELECT session_id FROM web_sessions)""",
    "orphan deal contact": """
        SELECT count(*) FROM deal_contacts
        WHERE contact_id NOT IN (SELECT contact_id FROM contacts)""",
}


def _norm(url: str) -> str:
    """campaigns.md URL normalising, in SQL."""
    cut = f"regexp_replace(trim({url}), '[?#].*$', '')"
    host = f"regexp_extract({cut}, '^([a-zA-Z]+://[^/]*)', 1)"
    return (
        f"regexp_replace(regexp_replace(lower({host}), '://www\\.', '://') "
        f"|| substr({cut}, length({host}) + 1), '/$', '')"
    )


@pytest.mark.parametrize("case", sorted(EDGE_CASES))
def test_edge_case_present(db: duckdb.DuckDBPyConnection, case: str) -> None:
    sql = EDGE_CASES[case].format(now=NOW, norm_p=_norm("p.url"), norm_a=_norm("a.asset_url"))
    count = _one(db, sql)
    assert isinstance(count, int) and count >= 1, case


def test_orphans_are_a_handful(db: duckdb.DuckDBPyConnection) -> None:
    for case in ("orphan email event", "orphan page view", "orphan deal contact"):
        assert 1 <= _one(db, EDGE_CASES[case]) <= 3, case


def test_every_session_source_category(db: duckdb.DuckDBPyConnection) -> None:
    engines = "google|bing|yahoo|duckduckgo|ecosia"
    social = r"facebook|linkedin|lnkd\.in|twitter|t\.co|x\.com|youtube|reddit"
    categories = dict(
        db.execute(f"""
        WITH s AS (
            SELECT lower(trim(utm_medium)) AS med, lower(trim(utm_source)) AS src,
                lower(regexp_extract(referrer_url, '://([^/]+)', 1)) AS ref,
                lower(regexp_extract(landing_url, '://([^/]+)', 1)) AS land,
                coalesce(utm_source, utm_medium, utm_campaign, utm_term, utm_content) IS NOT NULL
                    AS has_utm
            FROM web_sessions
        )
        SELECT CASE
            WHEN med IN ('cpc', 'ppc', 'paid', 'paidsearch') AND regexp_matches(src, '{engines}')
                THEN 'PAID_SEARCH'
            WHEN med IN ('paid_social', 'paidsocial', 'cpc') AND regexp_matches(src, '{social}')
                THEN 'PAID_SOCIAL'
            WHEN med IN ('email', 'e-mail', 'newsletter') THEN 'EMAIL_MARKETING'
            WHEN med IN ('social', 'social-media', 'sm', 'organic_social')
                OR (NOT has_utm AND regexp_matches(ref, '{social}')) THEN 'ORGANIC_SOCIAL'
            WHEN has_utm THEN 'OTHER_CAMPAIGNS'
            WHEN regexp_matches(ref, '{engines}') THEN 'ORGANIC_SEARCH'
            WHEN ref IS NOT NULL AND ref <> '' AND ref <> land THEN 'REFERRALS'
            ELSE 'DIRECT_TRAFFIC' END AS category, count(*)
        FROM s GROUP BY ALL
    """).fetchall()
    )
    expected = {
        "PAID_SEARCH",
        "PAID_SOCIAL",
        "EMAIL_MARKETING",
        "ORGANIC_SOCIAL",
        "OTHER_CAMPAIGNS",
        "ORGANIC_SEARCH",
        "REFERRALS",
        "DIRECT_TRAFFIC",
    }
    assert set(categories) == expected, categories
    assert min(categories.values()) >= 20, categories


def test_marketing_email_event_types(db: duckdb.DuckDBPyConnection) -> None:
    rows = db.execute("SELECT DISTINCT event_type FROM marketing_email_events").fetchall()
    types = {row[0] for row in rows}
    assert types == {"SENT", "DELIVERED", "OPEN", "CLICK", "BOUNCE", "UNSUBSCRIBE"}
    for typ in ("OPEN", "CLICK"):
        assert (
            _one(
                db,
                f"""SELECT count(*) FROM marketing_email_events
            WHERE event_type = '{typ}' AND is_bot""",
            )
            >= 1
        )
