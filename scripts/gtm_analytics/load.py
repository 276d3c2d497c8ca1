"""`gtm load`: copy a raw directory into a schema of a Spark target's catalog, so that
`gtm build --target ... --var raw_schema=SCHEMA` reads it there (raw-schema mode).

The files are read by Spark itself (the Thrift server and its executors), so the
directory must be readable at the same path by the cluster: a local directory for a
cluster on this machine, a shared mount otherwise. Each `<table>.parquet` (else
`<table>.csv`) of the raw contract becomes the Parquet table `<schema>.<table>`,
replacing an older one; CSV columns are loaded as text (no type inference: the landing
views parse text with the contract's rules, as for a CSV raw directory). An optional
table (`campaign_spend`) without a file is dropped from the schema: no rows.

The connection is the target's own (profiles.yml, rendered by dbt), opened with
dbt-spark's connection manager, so every dbt-spark method works (thrift, http,
session, odbc); one session holds the temporary views a load reads through.
"""

from __future__ import annotations

import os
import re
import time
from argparse import Namespace
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gtm_analytics.errors import GtmError
from gtm_analytics.paths import project_dir
from gtm_analytics.raw_tables import OPTIONAL_TABLES, RAW_TABLES

PROFILE = "gtm_analytics"
SCHEMA_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# How Spark reads a CSV raw file: the header names the columns, every value is text,
# quotes are doubled inside quoted values (RFC 4180), a quoted value may span lines.
CSV_OPTIONS = {"header": "true", "inferSchema": "false", "escape": '"', "multiLine": "true"}


@dataclass
class LoadOutcome:
    """What a load did: rows per table loaded, tables dropped (absent optional ones)."""

    schema: str
    rows: dict[str, int] = field(default_factory=dict)
    dropped: list[str] = field(default_factory=list)
    seconds: float = 0.0


def raw_files(raw_dir: Path) -> tuple[dict[str, Path], list[str]]:
    """The file of each contract table in `raw_dir` (Parquet before CSV) and the absent
    optional tables; GtmError naming every missing required table."""
    if not raw_dir.is_dir():
        raise GtmError(f"raw directory {raw_dir} does not exist")
    files: dict[str, Path] = {}
    absent: list[str] = []
    for table in RAW_TABLES:
        found = next(
            (
                raw_dir / f"{table}.{ext}"
                for ext in ("parquet", "csv")
                if (raw_dir / f"{table}.{ext}").is_file()
            ),
            None,
        )
        if found is not None:
            files[table] = found.resolve()
        else:
            absent.append(table)
    missing = [table for table in absent if table not in OPTIONAL_TABLES]
    if missing:
        raise GtmError(
            f"raw directory {raw_dir} has no file for "
            + ", ".join(f"{t} ({t}.parquet or {t}.csv)" for t in missing)
        )
    return files, absent


def _literal(text: str) -> str:
    """A Spark SQL string literal."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def load_statements(files: dict[str, Path], absent: list[str], schema: str) -> list[str]:
    """The SQL a load runs, in order (one session: the temporary views live in it)."""
    statements = [f"create database if not exists {schema}"]
    for table, path in files.items():
        view = f"gtm_load_{table}"
        # Not percent-encoded (Path.as_uri): Hadoop reads the path as written.
        options = {"path": f"file://{path}"}
        if path.suffix == ".csv":
            options.update(CSV_OPTIONS)
        rendered = ", ".join(f"{key} {_literal(value)}" for key, value in options.items())
        fmt = "csv" if path.suffix == ".csv" else "parquet"
        statements += [
            f"create or replace temporary view {view} using {fmt} options ({rendered})",
            f"drop table if exists {schema}.{table}",
            f"create table {schema}.{table} using parquet as select * from {view}",
            f"drop view if exists {view}",
        ]
    statements += [f"drop table if exists {schema}.{table}" for table in absent]
    return statements


def target_credentials(target: str | None) -> Any:
    """The credentials of a target of the project's profile, rendered as dbt does."""
    from dbt.config.profile import Profile, read_profile
    from dbt.config.renderer import ProfileRenderer
    from dbt.flags import set_from_args
    from dbt_common.context import set_invocation_context

    set_from_args(Namespace(), None)  # dbt's defaults, as outside a dbt command
    set_invocation_context(dict(os.environ))  # env_var() in profiles.yml reads it
    raw = read_profile(str(project_dir()))
    try:
        profile = Profile.from_raw_profiles(raw, PROFILE, ProfileRenderer({}), target)
    except Exception as exc:  # noqa: BLE001 - dbt's profile errors have no common base
        raise GtmError(f"cannot read target {target!r} of profiles.yml: {exc}") from exc
    return profile.credentials


def _spark_runner(credentials: Any) -> tuple[Callable[[str], list], Callable[[], None]]:
    """Run SQL on one connection of dbt-spark's: (execute-and-fetch, close)."""
    from dbt.adapters.contracts.connection import Connection
    from dbt.adapters.spark.connections import SparkConnectionManager

    connection = Connection(
        type="spark", name="gtm_load", state="init", credentials=credentials, transaction_open=False
    )
    try:
        handle = SparkConnectionManager.open(connection).handle
    except Exception as exc:  # noqa: BLE001 - any failure to connect, said plainly
        raise GtmError(f"cannot connect to Spark ({credentials.method}): {exc}") from exc

    def run(sql: str) -> list:
        cursor = handle.cursor()
        try:
            cursor.execute(sql)
            return list(cursor.fetchall() or []) if sql.startswith("select") else []
        except Exception as exc:  # noqa: BLE001 - Spark's message is what the user needs
            raise GtmError(f"Spark refused `{sql}`: {str(exc).strip()[:2000]}") from exc

    return run, handle.close


def load(raw_dir: Path, *, target: str | None, schema: str) -> LoadOutcome:
    """Load `raw_dir` into `schema` of `target` (a Spark target); GtmError on failure."""
    from gtm_analytics.build import target_type

    engine = target_type(target)
    if engine != "spark":
        raise GtmError(
            f"gtm load writes into a Spark catalog; target {target} is {engine} "
            "(on DuckDB read the directory itself: gtm build --raw-dir)"
        )
    if not SCHEMA_NAME.fullmatch(schema):
        raise GtmError(f"schema {schema!r}: letters, digits and _ only")
    files, absent = raw_files(raw_dir.resolve())
    started = time.monotonic()
    run, close = _spark_runner(target_credentials(target))
    outcome = LoadOutcome(schema=schema, dropped=[t for t in absent])
    try:
        for statement in load_statements(files, absent, schema):
            run(statement)
        counts = " union all ".join(
            f"select '{table}', count(*) from {schema}.{table}" for table in files
        )
        outcome.rows = {table: int(count) for table, count in run(counts)}
    finally:
        close()
    outcome.seconds = time.monotonic() - started
    return outcome
