"""Each bad-input rule of the raw contract: a clear message, and the published file untouched.

Every case starts from a valid demo-size raw directory, breaks one rule in one
table, runs `gtm build --raw-dir` against a copy of a good published warehouse,
and checks the message (table, column, rule, row count, example key) and that
the published file is byte-identical afterwards.
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import query, run_gtm, sha256


@dataclass(frozen=True)
class Breakage:
    """One broken raw directory: what to change and what the message must say."""

    name: str
    table: str
    column: str | None
    value: str | None  # new value for the first `rows` data rows; None = drop the column
    rows: int
    expected: tuple[str, ...]


def _rewrite(path: Path, change: Callable[[list[str], list[list[str]]], None]) -> None:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows = list(reader)
    change(header, rows)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def _first_keys(path: Path, key: str, count: int) -> list[str]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [row[key] for _, row in zip(range(count), csv.DictReader(handle), strict=False)]


CASES = [
    Breakage("missing table", "meetings", None, None, 0, ("raw table meetings", "required table")),
    Breakage(
        "missing column",
        "email_events",
        "occurred_at",
        None,
        0,
        ("raw table email_events, column occurred_at", "required column"),
    ),
    Breakage(
        "unparsable timestamp",
        "sequence_emails",
        "sent_at",
        "yesterday at noon",
        2,
        ("raw table sequence_emails, column sent_at", "2 rows", "must parse as timestamp"),
    ),
    Breakage(
        "integer does not parse",
        "sequence_steps",
        "step_order",
        "two",
        1,
        ("raw table sequence_steps, column step_order", "1 row", "must parse as integer"),
    ),
    Breakage(
        "integer with a fraction is not rounded",
        "sequence_steps",
        "step_order",
        "1.5",
        2,
        ("raw table sequence_steps, column step_order", "2 rows", "must parse as integer"),
    ),
    Breakage(
        "decimal does not parse",
        "deals",
        "amount",
        "12,50 EUR",
        3,
        ("raw table deals, column amount", "3 rows", "must parse as decimal"),
    ),
    Breakage(
        "boolean does not parse",
        "users",
        "is_active",
        "maybe",
        1,
        ("raw table users, column is_active", "1 row", "must parse as boolean"),
    ),
    Breakage(
        "enum outside its list",
        "email_events",
        "event_type",
        "FORWARDED",
        2,
        ("raw table email_events, column event_type", "2 rows", "must be one of"),
    ),
    Breakage(
        "null in a required column",
        "contacts",
        "created_at",
        "",
        1,
        ("raw table contacts, column created_at", "1 row", "must not be null"),
    ),
]

KEYS = {
    "sequence_emails": "email_id",
    "sequence_steps": "step_id",
    "deals": "deal_id",
    "users": "user_id",
    "email_events": "event_id",
    "contacts": "contact_id",
}


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder for every case: the same raw and warehouse paths give dbt the same vars
    and profile each time, so it reuses its parse of the project (much faster)."""
    return tmp_path_factory.mktemp("bad_input")


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_broken_raw_directory(
    case: Breakage,
    raw_csv_dir: Path,
    demo_warehouse: Path,
    workspace: Path,
) -> None:
    raw = workspace / "raw"
    shutil.rmtree(raw, ignore_errors=True)
    shutil.copytree(raw_csv_dir, raw)
    warehouse_dir = workspace / "published"
    shutil.rmtree(warehouse_dir, ignore_errors=True)
    warehouse_dir.mkdir()
    warehouse = warehouse_dir / "gtm.duckdb"
    shutil.copyfile(demo_warehouse, warehouse)  # a good published warehouse
    before = sha256(warehouse)

    path = raw / f"{case.table}.csv"
    examples: list[str] = []
    if case.column is None:
        path.unlink()
    elif case.value is None:

        def drop(header: list[str], rows: list[list[str]]) -> None:
            index = header.index(case.column)
            for row in [header, *rows]:
                del row[index]

        _rewrite(path, drop)
    else:
        examples = _first_keys(path, KEYS[case.table], case.rows)

        def set_value(header: list[str], rows: list[list[str]]) -> None:
            index = header.index(case.column)
            for row in rows[: case.rows]:
                row[index] = case.value

        _rewrite(path, set_value)

    result = run_gtm(
        "build", "--raw-dir", str(raw), "--warehouse", str(warehouse), tmp_dir=workspace
    )

    assert result.returncode == 1, result.output
    message = result.stderr
    assert message.startswith("error: build failed"), message
    for fragment in case.expected:
        assert fragment in message, f"{fragment!r} not in:\n{message}"
    for key in examples:
        assert key in message, f"example key {key!r} not in:\n{message}"
    assert "Traceback" not in result.output
    assert sha256(warehouse) == before, "the published warehouse changed"
    assert sorted(p.name for p in warehouse_dir.iterdir()) == [".gtm.lock", "gtm.duckdb"]


def _set_columns(path: Path, key: str, changes: dict[str, dict[str, str]]) -> None:
    """Set columns of every row (every copy) whose `key` column is a key of `changes`."""

    def change(header: list[str], rows: list[list[str]]) -> None:
        for row in rows:
            for column, value in changes.get(row[header.index(key)], {}).items():
                row[header.index(column)] = value

    _rewrite(path, change)


def _column(path: Path, column: str) -> list[str]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [row[column] for row in csv.DictReader(handle)]


def test_rejected_parents_keep_their_children_in_the_marts(
    raw_csv_dir: Path, workspace: Path
) -> None:
    """Raw contract, "Bad input", and campaigns.md, "Rejected rows": a row whose own
    foreign key points nowhere is kept out of the marts, counted and reported (table,
    column, rule, count, example keys) - a warning, the build succeeds. The rows that
    name it are not rejected in turn, and the marts still agree with each other (the
    singular reconciliation tests are errors, so a successful build proves it)."""
    raw = workspace / "raw"
    shutil.rmtree(raw, ignore_errors=True)
    shutil.copytree(raw_csv_dir, raw)
    warehouse_dir = workspace / "published"
    shutil.rmtree(warehouse_dir, ignore_errors=True)
    warehouse_dir.mkdir()
    warehouse = warehouse_dir / "gtm.duckdb"

    sequence = _column(raw / "sequence_enrollments.csv", "sequence_id")[0]
    campaign = _column(raw / "campaign_spend.csv", "campaign_id")[0]
    deal = _column(raw / "deal_contacts.csv", "deal_id")[0]
    step = _column(raw / "sequence_emails.csv", "step_id")[0]
    enrollments = sorted(set(_column(raw / "sequence_enrollments.csv", "enrollment_id")))
    by_user, by_company = enrollments[-1], enrollments[-2]
    assert campaign in _column(raw / "campaign_assets.csv", "campaign_id")
    _set_columns(raw / "sequences.csv", "sequence_id", {sequence: {"owner_user_id": "usr_gone"}})
    _set_columns(raw / "campaigns.csv", "campaign_id", {campaign: {"owner_user_id": "usr_gone"}})
    _set_columns(raw / "deals.csv", "deal_id", {deal: {"owner_user_id": "usr_gone"}})
    _set_columns(raw / "sequence_steps.csv", "step_id", {step: {"template_id": "tpl_gone"}})
    _set_columns(
        raw / "sequence_enrollments.csv",
        "enrollment_id",
        {by_user: {"enrolled_by_user_id": "usr_gone"}, by_company: {"company_id": "cmp_gone"}},
    )

    result = run_gtm(
        "build",
        "--raw-dir",
        str(raw),
        "--warehouse",
        str(warehouse),
        "--no-docs",
        tmp_dir=workspace,
    )
    assert result.returncode == 0, result.output
    notes = [line.removeprefix("note: ") for line in result.stdout.splitlines()]
    kept_out = "1 row kept out of the marts, listed with the reason in audit.audit_rejected_rows"
    for table, column, parent, key in (
        ("sequences", "owner_user_id", "users.user_id", sequence),
        ("campaigns", "owner_user_id", "users.user_id", campaign),
        ("deals", "owner_user_id", "users.user_id", deal),
        ("sequence_steps", "template_id", "email_templates.template_id", step),
    ):
        expected = (
            f"raw table {table}, column {column}: 1 row breaks the rule "
            f"'must name an existing {parent}' (e.g. {key}); {kept_out}"
        )
        assert expected in notes, (expected, notes)
    two_columns = (
        "raw table sequence_enrollments, column enrolled_by_user_id: 1 row breaks the rule "
        f"'must name an existing users.user_id' (e.g. {by_user}); column company_id: 1 row "
        f"breaks the rule 'must name an existing companies.company_id' (e.g. {by_company}); "
        "2 rows kept out of the marts"
    )
    assert any(note.startswith(two_columns) for note in notes), (two_columns, notes)
    # duplicates: the key column, the rule, the count and example keys
    for table, key, kept in (
        ("email_events", "event_id", "one copy is kept"),
        ("sequence_enrollments", "enrollment_id", "the copy with the latest updated_at is kept"),
    ):
        prefix = f"raw table {table}, column {key}: "
        rule = (
            "repeated rows de-duplicated by the rule "
            f"'a repeated primary key is one record, {kept}' (e.g. "
        )
        assert any(n.startswith(prefix) and rule in n for n in notes), (prefix, rule, notes)

    # Only the rows' own keys reject them: nothing that names a rejected row is rejected.
    rejected = set(
        query(
            warehouse,
            "select table_name, row_key from audit.audit_rejected_rows "
            "where table_name not in ('email_events', 'pageviews', 'deal_contacts')",
        )
    )
    assert rejected == {
        ("sequences", sequence),
        ("campaigns", campaign),
        ("deals", deal),
        ("sequence_steps", step),
        ("sequence_enrollments", by_user),
        ("sequence_enrollments", by_company),
    }
    assert not query(
        warehouse,
        "select * from audit.audit_rejected_rows "
        "where table_name = 'deal_contacts' and column_name = 'deal_id'",
    )

    # The rejected sequence keeps its key in every per-sequence mart, so they add up.
    ((name, owner, total, deleted),) = query(
        warehouse,
        "select sequence_name, owner_user_id, total_enrollments, is_deleted "
        f"from marts.sequence_performance where sequence_id = '{sequence}'",
    )
    (started,) = query(
        warehouse,
        "select count(*) from marts.fct_sequence_enrollments "
        f"where sequence_id = '{sequence}' and is_started",
    )[0]
    assert (name, owner, deleted) == (None, None, False)
    assert total == started > 0
    # The rejected campaign: its assets and spend count under its key.
    ((campaign_name, spend),) = query(
        warehouse,
        "select campaign_name, spend from marts.campaign_overview "
        f"where campaign_id = '{campaign}'",
    )
    assets = query(
        warehouse,
        f"select count(*) from marts.campaign_asset_performance where campaign_id = '{campaign}'",
    )[0][0]
    assert campaign_name is None and spend > 0
    assert assets == _column(raw / "campaign_assets.csv", "campaign_id").count(campaign)
    # The rejected deal credits nothing; its links are not rejected.
    assert not query(
        warehouse,
        f"select * from marts.attribution_credits where conversion_id = '{deal}'",
    )
    assert not query(
        warehouse,
        f"select * from marts.fct_sequence_enrollments where attributed_deal_id = '{deal}'",
    )
    # The rejected step is not in the funnel; its emails still count for their enrollments.
    assert not query(
        warehouse, f"select * from marts.sequence_step_performance where step_id = '{step}'"
    )
    sent, sends = query(
        warehouse,
        "select (select sum(emails_sent) from marts.fct_sequence_enrollments), "
        "(select sum(sends) from marts.sequence_email_performance)",
    )[0]
    assert sent == sends > 0
