"""Fuzzed raw input: random corruptions of a valid raw directory never end in a bare
traceback. Each one stops the build with the raw contract's message (table, column,
rule, rows or lines, an example) and leaves the published warehouse byte-identical,
or is handled as the contract says.

One build per seed: the corruptions go into different tables, picked at random (a
seeded generator, so CI is stable), and dbt reports all of them in one run since the
tables do not depend on one another. Corruptions handled without error - a duplicate
key with other content (the latest `updated_at` wins), an extra column (ignored) - go
into two more tables, and no message may name those.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from conftest import sha256
from gtm_analytics.raw_tables import OPTIONAL_TABLES, PRIMARY_KEYS, RAW_CONTRACT, RAW_TABLES
from hardening_support import Workspace, read_csv_rows, write_csv_rows

TYPED = ("timestamp", "boolean", "integer", "numeric", "decimal", "date")


@dataclass
class Corruption:
    """What was broken and the fragments the build's message must hold."""

    name: str
    table: str
    expected: tuple[str, ...]


def _clean_line(rows: list[list[str]], rng: random.Random) -> int:
    """A data row whose fields need no quoting (so that a cut cannot open a quote)."""
    plain = [
        i
        for i, row in enumerate(rows)
        if all("," not in v and '"' not in v and "\n" not in v for v in row)
    ]
    return rng.choice(plain)


def truncated_line(raw: Path, table: str, rng: random.Random) -> tuple[str, ...]:
    path = raw / f"{table}.csv"
    text = path.read_text(encoding="utf-8").split("\n")
    header, rows = read_csv_rows(path)
    index = _clean_line(rows, rng)
    line = text[index + 1]
    text[index + 1] = line[: max(1, line.index(",") - 2)]  # cut inside the first field
    path.write_text("\n".join(text), encoding="utf-8")
    return (
        f"raw table {table}: 1 line breaks the rule 'every line holds the header's fields'",
        f"line {index + 2} of",
    )


def non_utf8_byte(raw: Path, table: str, rng: random.Random) -> tuple[str, ...]:
    path = raw / f"{table}.csv"
    header, rows = read_csv_rows(path)
    index = _clean_line(rows, rng)
    lines = path.read_bytes().split(b"\n")
    line = lines[index + 1]
    cut = line.index(b",") + 1
    lines[index + 1] = line[:cut] + b"\xff" + line[cut:]  # start of the second field
    path.write_bytes(b"\n".join(lines))
    return (
        f"raw table {table}, column {header[1]}: 1 line breaks the rule 'text is UTF-8'",
        f"line {index + 2} of",
    )


def _set_value(raw: Path, table: str, column: str, value: str, rng: random.Random) -> str:
    path = raw / f"{table}.csv"
    header, rows = read_csv_rows(path)
    row = rng.choice(rows)
    row[header.index(column)] = value
    # the row's key as the message shows it: raw text, after the change
    key = "|".join(row[header.index(k)] or "(null)" for k in PRIMARY_KEYS[table])
    write_csv_rows(path, header, rows)
    return key


def wrong_type(raw: Path, table: str, rng: random.Random) -> tuple[str, ...]:
    column = rng.choice([c for c in RAW_CONTRACT[table] if c.type in TYPED])
    key = _set_value(raw, table, column.name, f"not a {column.type}", rng)
    return (f"raw table {table}, column {column.name}: 1 row breaks the rule 'must parse as", key)


def unknown_enum(raw: Path, table: str, rng: random.Random) -> tuple[str, ...]:
    column = rng.choice([c for c in RAW_CONTRACT[table] if c.type == "enum"])
    key = _set_value(raw, table, column.name, "SURELY_NOT_IN_THE_LIST", rng)
    return (f"raw table {table}, column {column.name}: 1 row breaks the rule 'must be one of", key)


def null_key(raw: Path, table: str, rng: random.Random) -> tuple[str, ...]:
    column = PRIMARY_KEYS[table][0]
    _set_value(raw, table, column, "", rng)
    return (f"raw table {table}, column {column}: 1 row breaks the rule 'must not be null'",)


def missing_file(raw: Path, table: str, rng: random.Random) -> tuple[str, ...]:
    (raw / f"{table}.csv").unlink()
    return (f"raw table {table}: rule 'required table' broken",)


def missing_column(raw: Path, table: str, rng: random.Random) -> tuple[str, ...]:
    path = raw / f"{table}.csv"
    header, rows = read_csv_rows(path)
    column = rng.choice(RAW_TABLES[table])
    index = header.index(column)
    write_csv_rows(
        path, header[:index] + header[index + 1 :], [r[:index] + r[index + 1 :] for r in rows]
    )
    return (f"raw table {table}, column {column}: rule 'required column' broken",)


def unclosed_quote(raw: Path, table: str, rng: random.Random) -> tuple[str, ...]:
    path = raw / f"{table}.csv"
    header, rows = read_csv_rows(path)
    index = _clean_line(rows, rng)
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[index + 1] = lines[index + 1].replace(",", ',"', 1)  # a quote that never closes
    path.write_text("\n".join(lines), encoding="utf-8")
    return (
        f"raw table {table}: 1 line breaks the rule 'quoted values are closed'",
        f"line {index + 2} of",
    )


def truncated_parquet(raw: Path, table: str, rng: random.Random) -> tuple[str, ...]:
    # Parquet wins over CSV: write the table as Parquet, then cut the file short.
    csv_path, parquet = raw / f"{table}.csv", raw / f"{table}.parquet"
    con = duckdb.connect()
    try:
        con.execute(
            f"copy (select * from read_csv('{csv_path}', all_varchar = true)) "
            f"to '{parquet}' (format parquet)"
        )
    finally:
        con.close()
    data = parquet.read_bytes()
    parquet.write_bytes(data[: rng.randrange(len(data) // 4, len(data) - 8)])
    return (f"raw table {table}: rule 'readable Parquet file' broken",)


def duplicate_with_other_content(raw: Path, table: str, rng: random.Random) -> None:
    """Handled: a repeated key whose copy is older and differs (the latest wins)."""
    path = raw / f"{table}.csv"
    header, rows = read_csv_rows(path)
    copy = list(rng.choice(rows))
    copy[header.index("updated_at")] = "2000-01-01T00:00:00Z"
    for index, column in enumerate(header):
        if column not in PRIMARY_KEYS[table] and column != "updated_at" and copy[index]:
            copy[index] = rng.choice([r[index] for r in rows])
    rows.insert(rng.randrange(len(rows)), copy)
    write_csv_rows(path, header, rows)


def extra_column(raw: Path, table: str, rng: random.Random) -> None:
    """Handled: a column the contract does not know is ignored."""
    path = raw / f"{table}.csv"
    header, rows = read_csv_rows(path)
    at = rng.randrange(len(header) + 1)
    write_csv_rows(
        path, header[:at] + ["exported_by"] + header[at:], [r[:at] + ["x"] + r[at:] for r in rows]
    )


def _tables_with(kind: str) -> list[str]:
    return [t for t, columns in RAW_CONTRACT.items() if any(c.type == kind for c in columns)]


# Each corruption and the tables it may go into.
BREAKING: list[tuple[str, Callable[..., tuple[str, ...]], list[str]]] = [
    ("unknown enum", unknown_enum, _tables_with("enum")),
    (
        "wrong type",
        wrong_type,
        [t for t in RAW_TABLES if any(c.type in TYPED for c in RAW_CONTRACT[t])],
    ),
    ("truncated line", truncated_line, list(RAW_TABLES)),
    ("non-UTF-8 byte", non_utf8_byte, list(RAW_TABLES)),
    ("null key", null_key, list(RAW_TABLES)),
    ("missing file", missing_file, [t for t in RAW_TABLES if t not in OPTIONAL_TABLES]),
    ("missing column", missing_column, list(RAW_TABLES)),
    ("unclosed quote", unclosed_quote, list(RAW_TABLES)),
    ("truncated Parquet file", truncated_parquet, list(RAW_TABLES)),
]
HANDLED = [
    (
        "duplicate key, other content",
        duplicate_with_other_content,
        ["contacts", "sequence_enrollments"],
    ),
    ("extra column", extra_column, list(RAW_TABLES)),
]


def corrupt(raw: Path, seed: int) -> tuple[list[Corruption], list[str]]:
    """Apply every corruption to its own random table; return what each must report and
    the tables that were only given handled oddities."""
    rng = random.Random(seed)
    used: set[str] = set()
    # The most constrained first, so that every corruption finds a free table.
    plan = sorted(HANDLED + BREAKING, key=lambda item: len(item[2]))
    done: list[Corruption] = []
    handled: list[str] = []
    for name, apply, candidates in plan:
        table = rng.choice(sorted(set(candidates) - used))
        used.add(table)
        expected = apply(raw, table, rng)
        if expected is None:
            handled.append(table)
        else:
            done.append(Corruption(name, table, expected))
    return done, handled


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory, demo_warehouse: Path) -> Workspace:
    workspace = Workspace(tmp_path_factory.mktemp("fuzz"))
    workspace.publish_copy_of(demo_warehouse)
    return workspace


@pytest.mark.parametrize("seed", [8, 2025])
def test_corrupted_raw_directory_gives_clear_messages_and_changes_nothing(
    seed: int, workspace: Workspace, raw_csv_dir: Path
) -> None:
    raw = workspace.fresh_raw(raw_csv_dir)
    corruptions, handled = corrupt(raw, seed)
    before = sha256(workspace.warehouse)

    result = workspace.build()

    assert result.returncode == 1, result.output
    message = result.stderr
    assert message.startswith("error: build failed"), message
    assert "Traceback" not in result.output
    for corruption in corruptions:
        for fragment in corruption.expected:
            assert fragment in message, (
                f"{corruption.name} in {corruption.table}: {fragment!r} not in\n{message}"
            )
    for table in handled:
        assert f"raw table {table}" not in message, f"{table} was handled, not an error"
        assert f"__{table}:" not in message, f"{table} was handled, not an error"
    # One line per problem, no more: nothing but the corruptions is reported.
    problems = [line for line in message.splitlines() if line.startswith("  - ")]
    assert len(problems) == len(corruptions), message
    assert sha256(workspace.warehouse) == before, "the published warehouse changed"
    assert sorted(p.name for p in workspace.published_dir.iterdir()) == [".gtm.lock", "gtm.duckdb"]
