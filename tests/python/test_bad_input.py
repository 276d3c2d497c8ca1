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

from conftest import run_gtm, sha256


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
