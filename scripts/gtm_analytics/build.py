"""`gtm build`: run `dbt build` into a private work file, then publish it atomically.

DuckDB allows one writer or many readers of a file. The build therefore never
opens the published file: it writes a work file beside it, checkpoints and
closes it, and `os.replace`s it onto the published path. A reader connected
before keeps the old data, a new reader sees the new, and a failed or killed
build leaves the published file byte-identical.

Incremental builds keep that shape: the work file starts as a copy of the
published file, so dbt's incremental models only add the new rows, and the copy
is published the same way. A build starts from an empty work file instead (a
full refresh) when asked to, or when the published file cannot be the state to
build on: absent, built from another input, with other vars or by another
version of the project, or from raw files that no longer hold, unchanged, the
rows it loaded into its incremental tables (`_full_refresh_reason`).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

import duckdb
import yaml

from gtm_analytics.errors import GtmError
from gtm_analytics.paths import project_dir
from gtm_analytics.processes import CoreSharer, shared_cores, usable_cores
from gtm_analytics.raw_tables import EVENT_TIMES, PRIMARY_KEYS, RAW_CONTRACT, RAW_TABLES
from gtm_analytics.scratch import ScratchReleaser, scratch_database

# Schemas that hold only helpers of the build (views over the raw files, the previous
# build's row counts carried in): they would point at files a BI reader may not have,
# or duplicate audit tables, so they are not published.
PREVIOUS_BUILD_SCHEMA = "gtm_previous"
UNPUBLISHED_SCHEMAS = ("landing", PREVIOUS_BUILD_SCHEMA)

# Runs one SQL query against the build's database and returns its rows.
RowReader = Callable[[str], list[tuple]]

# The DuckDB storage format of the files a build writes: the long-term-support line's
# (v1.4.0), so that DuckDB 1.4 and every later client - the CLI, Python, BI drivers -
# opens the published file. `gtm build --storage-version latest` writes the newest
# format instead. The profile reads the choice from this environment variable and
# passes it to duckdb.connect, so the work file is created in that format and no copy
# converts it at publish.
STORAGE_VERSION_ENV = "GTM_DUCKDB_STORAGE_VERSION"
DEFAULT_STORAGE_VERSION = "v1.4.0"


# Vars that change how much of the raw data an incremental build reads, not what any
# model computes from it: another value does not call for a full refresh.
INCREMENTAL_NEUTRAL_VARS = frozenset({"incremental_lookback_days"})
# What, besides the input and the vars, decides the warehouse's content: a change
# here means the incremental tables may have been built by other logic.
FINGERPRINTED = ("dbt_project.yml", "models", "macros", "seeds")


class TableCounts(NamedTuple):
    """One raw table's row of audit_raw_table_counts, as `gtm build` reports it."""

    table: str
    raw_rows: int
    duplicates: int
    rejected: int
    primary_key: str = ""
    duplicate_examples: str | None = None
    rejected_by_column: str | None = None


TABLE_COUNTS_COLUMNS = (
    "table_name, raw_rows, duplicates_removed, rejected_rows, "
    "primary_key_columns, duplicate_key_examples, rejected_by_column"
)


@dataclass
class BuildOutcome:
    """What a build did: the published file (DuckDB) or target, and the audit summary."""

    warehouse: Path | None
    location: str
    table_counts: list[TableCounts] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # "incremental build: ..." or "full refresh: <why>", for the command's output.
    mode: str | None = None


def _work_path(warehouse: Path) -> Path:
    # Same directory as the published file, so os.replace is an atomic rename. The
    # name is stable (builds of one warehouse are serialised by the lock below), so
    # dbt's profile - whose path is this file - stays the same and dbt can reuse
    # its parse of the project from one build to the next.
    return warehouse.with_name(f".{warehouse.stem}.work{warehouse.suffix}")


def _remove_work_files(work: Path) -> None:
    for path in (work, work.with_name(work.name + ".wal")):
        path.unlink(missing_ok=True)


@contextmanager
def _build_lock(warehouse: Path) -> Iterator[None]:
    """One build per warehouse at a time; a second one fails at once with a clear message.

    The lock is held on a small hidden file beside the warehouse and released by
    the operating system when the process ends, killed or not: a work file found
    while holding it belongs to a dead build and is removed.
    """
    lock_path = warehouse.with_name(f".{warehouse.stem}.lock")
    with open(lock_path, "a+") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise GtmError(
                f"another `gtm build` is writing {warehouse}: wait for it to finish"
            ) from exc
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _close_dbt_connections() -> None:
    """Close the database dbt-duckdb keeps open for the whole invocation (the profile's
    keep_open), so that the work file can be published or read, and the next dbtRunner
    in this process opens the file it finds then."""
    try:
        from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    except ImportError:  # dbt-duckdb is not installed: nothing was opened
        return
    try:
        environment = DuckDBConnectionManager.env()
    except Exception:  # noqa: BLE001 - dbt-duckdb raises a bare Exception when none is open
        return
    DuckDBConnectionManager.close_all_connections()
    environment.close()


def dbt_args(
    command: str,
    *,
    raw_dir: Path | None,
    dbt_vars: Mapping[str, Any],
    threads: int | None,
    target: str | None,
    extra: Iterable[str] = (),
) -> list[str]:
    """The dbt command line for a build of this project."""
    project = str(project_dir())
    all_vars = dict(dbt_vars)
    if raw_dir is not None:
        all_vars["raw_dir"] = str(raw_dir)
    args = [command, "--project-dir", project, "--profiles-dir", project]
    if all_vars:
        args += ["--vars", json.dumps(all_vars, sort_keys=True)]
    if threads is not None:
        args += ["--threads", str(threads)]
    if target is not None:
        args += ["--target", target]
    return args + list(extra)


def _parsed_manifest(build_args: list[str]) -> Any:
    """dbt's parse of the project with the build's options, for the build to run
    (no second parse) and for the scratch releaser to read the graph. None when the
    parse fails: the build then parses again and reports the error as usual."""
    from dbt.cli.main import dbtRunner

    result = dbtRunner().invoke(["parse", *build_args[1:]])
    return result.result if result.success else None


def _execute_on_build_database(sql: str) -> None:
    """One statement on the build's own database instance (dbt-duckdb keeps it open
    for the whole invocation: profiles.yml keep_open)."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    cursor = DuckDBConnectionManager.env().conn.cursor()
    try:
        cursor.execute(sql)
    finally:
        cursor.close()


def _drop_table(relation_name: str) -> None:
    """Drop a scratch table as soon as no node reads it any more (ScratchReleaser)."""
    try:
        _execute_on_build_database(f"drop table if exists {relation_name}")
    except duckdb.Error:
        pass  # only memory is at stake: the table goes when the build's database closes


def _set_duckdb_threads(count: int) -> None:
    """DuckDB's worker threads for the build's database instance (the whole instance:
    every query running and to come; CoreSharer)."""
    _execute_on_build_database(f"set threads = {int(count)}")


def _core_sharer(core_share: int | None) -> CoreSharer | None:
    """A CoreSharer when the build chose the threads per query and a lone node would
    leave cores idle; None otherwise."""
    cores = usable_cores()
    if core_share is None or cores <= core_share:
        return None
    return CoreSharer(cores, core_share, _set_duckdb_threads)


def _build_command(args: list[str], full_refresh: bool, unit_tests: bool) -> list[str]:
    """`dbt build` as the build runs it: the unit tests left out unless asked for."""
    command = [*args, "--full-refresh"] if full_refresh else list(args)
    return command if unit_tests else [*command, "--exclude-resource-type", "unit_test"]


def _failure_messages(result: Any, read_rows: RowReader) -> list[str]:
    """One clear line per failed node; contract failures name table, column, rule, keys."""
    messages: list[str] = []
    if result.exception is not None:
        text = str(result.exception)
        # a bad setting (macro validate_settings): its one sentence, without dbt's frame
        setting = [line.strip() for line in text.splitlines() if "bad setting:" in line]
        messages.append(setting[0] if setting else text)
    run_results = getattr(result.result, "results", None) or []
    for node_result in run_results:
        status = str(node_result.status)
        node = node_result.node
        if status == "error":
            messages.append(_error_message(node, node_result.message))
        elif status == "fail":
            relation = getattr(node, "relation_name", None)
            if relation and node.name.startswith("raw_contract_"):
                messages.extend(_contract_messages(relation, read_rows))
            elif relation and node.name.startswith("table_rules_"):
                messages.extend(_table_rule_messages(node.name, relation, read_rows))
            else:
                messages.append(f"data test {node.name} failed: {node_result.message}")
    return list(dict.fromkeys(messages))  # one line per problem, in order


def _stored_failure_messages(
    relation: str,
    read_rows: RowReader,
    *,
    example_column: str,
    subject: Callable[[str, str], str],
    test: str,
) -> list[str]:
    """The failures a test stored (raw_contract, table_rules: one row per table, column
    and rule), a line each: `subject(table, column)`, rows broken, rule, example."""
    try:
        rows = read_rows(
            f"select table_name, column_name, rule, failing_rows, {example_column} "
            f"from {relation} order by column_name, rule"
        )
    except Exception as exc:  # noqa: BLE001 - the failure itself is still reported
        return [f"{test} failed; its rows could not be read from {relation} ({exc})"]
    messages = []
    for table, column, rule, count, example in rows:
        noun = "row breaks" if count == 1 else "rows break"
        example_text = f" (e.g. {example})" if example is not None else ""
        messages.append(f"{subject(table, column)}: {count} {noun} the rule '{rule}'{example_text}")
    return messages or [f"{test} failed"]


def _contract_messages(relation: str, read_rows: RowReader) -> list[str]:
    """The stored failures of one raw_contract test, a line per table, column and rule."""
    return _stored_failure_messages(
        relation,
        read_rows,
        example_column="example_keys",
        subject=lambda table, column: f"raw table {table}, column {column}",
        test="raw contract test",
    )


def _table_rule_messages(name: str, relation: str, read_rows: RowReader) -> list[str]:
    """The stored failures of one table_rules test, a line per table, column and rule."""
    return _stored_failure_messages(
        relation,
        read_rows,
        example_column="example_key",
        subject=lambda table, column: f"data test {name} failed: table {table}, column {column}",
        test=f"data test {name}",
    )


def _first_line(message: str | None) -> str:
    text = (message or "").strip()
    # dbt prefixes compilation errors with a header line; keep the sentence that matters.
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for line in lines:
        if "raw table" in line:
            return line
    return " ".join(lines[:3])


# DuckDB errors that mean a raw file cannot be read, and the contract rule each breaks.
_READ_ERRORS = (
    ("invalid unicode", "text is UTF-8"),
    ("csv", "readable CSV: comma-separated, quotes closed, the header on the first line"),
    ("sniffing", "readable CSV: comma-separated, quotes closed, the header on the first line"),
    ("parquet", "readable Parquet file"),
)
# DuckDB errors that mean the build ran out of memory or of temporary disk space.
_RESOURCE_ERRORS = (
    "max_temp_directory_size",
    "no space left on device",
    "out of memory",
    "could not allocate",
)


def _raw_table_of(node: Any) -> str | None:
    """The raw table a landing view or staging model (or a test on one) reads."""
    names = [node.name, str(getattr(node, "attached_node", None) or "").rsplit(".", 1)[-1]]
    for name in names:
        for prefix in ("base_hubspot__", "stg_hubspot__"):
            if name.startswith(prefix):
                return name[len(prefix) :]
    return None


def _database_reason(message: str) -> str:
    """DuckDB's own sentence (`... Error: ...`), shortened."""
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    reason = next((line for line in lines if "Error:" in line), " ".join(lines[:2]))
    return reason if len(reason) <= 240 else reason[:237] + "..."


def _error_message(node: Any, message: str | None) -> str:
    """One line for a node that errored: raw-file read errors name the raw table and
    the rule, resource exhaustion says what ran out; anything else keeps dbt's words."""
    line = _first_line(message)
    text = (message or "").lower()
    table = _raw_table_of(node)
    if table is not None and "raw table" not in line:
        for marker, rule in _READ_ERRORS:
            if marker in text:
                return (
                    f"raw table {table}: rule '{rule}' broken: its file could not be read "
                    f"({_database_reason(message or '')})"
                )
    if any(marker in text for marker in _RESOURCE_ERRORS):
        return (
            f"{node.name}: the database ran out of memory or temporary disk space "
            f"({_database_reason(message or '')}); free disk space (or raise "
            "GTM_DUCKDB_MEMORY_LIMIT / GTM_DUCKDB_MAX_TEMP_SIZE) and build again"
        )
    return f"{node.name}: {line}"


def _warning_notes(result: Any, read_rows: RowReader) -> list[str]:
    """One line per failing row of each warning-level test that stores its rows with a
    `note` column (raw volume and freshness checks)."""
    notes: list[str] = []
    for node_result in getattr(result.result, "results", None) or []:
        relation = getattr(node_result.node, "relation_name", None)
        if str(node_result.status) != "warn" or not relation:
            continue
        try:
            notes.extend(row[0] for row in read_rows(f"select note from {relation} order by note"))
        except Exception:  # noqa: BLE001 - a warning without a note column: dbt printed it
            continue
    return notes


def _duckdb_reader(path: Path) -> RowReader:
    """Read rows from a DuckDB file (the work file of a build), read-only."""

    def read_rows(sql: str) -> list[tuple]:
        if not path.exists():
            return []
        con = duckdb.connect(str(path), read_only=True)
        try:
            return con.execute(sql).fetchall()
        finally:
            con.close()

    return read_rows


def _target_reader(base_args: list[str]) -> RowReader:
    """Read rows from the database of a dbt target (PostgreSQL, Spark, ...) through
    `dbt show --inline-direct`, which runs the SQL as written, with the build's profile."""
    from dbt.cli.main import dbtRunner

    def read_rows(sql: str) -> list[tuple]:
        previews: list[str] = []

        def keep_preview(event: Any) -> None:
            if event.info.name == "ShowNode":
                previews.append(event.data.preview)

        options = base_args[1:]  # --project-dir, --profiles-dir, --vars, --target ...
        args = ["show", *options, "--inline-direct", sql, "--limit", "-1", "--output", "json"]
        result = dbtRunner(callbacks=[keep_preview]).invoke(["--log-level", "none", *args])
        if not result.success or not previews:
            raise GtmError(f"could not query the target: {result.exception or sql}")
        records = json.loads(previews[-1])
        return [tuple(record.values()) for record in records]

    return read_rows


def _carry_previous_counts(warehouse: Path, work: Path) -> list[str]:
    """Copy the published build's raw-table row counts into the new work file (schema
    gtm_previous, not published), where audit_raw_table_count_history extends them and
    the volume test compares with them. Returns a note when they cannot be read."""
    if not warehouse.exists():
        return []
    con = _create_work_file(work)
    try:
        quoted = "'" + str(warehouse).replace("'", "''") + "'"
        con.execute(f"attach {quoted} as published (read_only)")
        try:
            tables = {
                row[0]
                for row in con.execute(
                    "select table_name from duckdb_tables() "
                    "where database_name = 'published' and schema_name = 'audit'"
                ).fetchall()
            }
            if "audit_raw_table_count_history" in tables:
                carried = "select build_number, table_name, raw_rows "
                carried += "from published.audit.audit_raw_table_count_history"
            elif "audit_raw_table_counts" in tables:
                carried = "select 1 as build_number, table_name, raw_rows "
                carried += "from published.audit.audit_raw_table_counts"
            else:
                return []
            con.execute(f"create schema {PREVIOUS_BUILD_SCHEMA}")
            con.execute(
                f"create table {PREVIOUS_BUILD_SCHEMA}.raw_table_count_history as {carried}"
            )
        finally:
            con.execute("detach published")
    except duckdb.Error as exc:
        return [
            "volume check skipped: the published warehouse's row counts could not be read "
            f"({_database_reason(str(exc))})"
        ]
    finally:
        con.close()
    return []


def storage_version() -> str:
    """The storage format this process's builds write (STORAGE_VERSION_ENV, else the default)."""
    return os.environ.get(STORAGE_VERSION_ENV) or DEFAULT_STORAGE_VERSION


def check_storage_version(version: str) -> str:
    """`version` if DuckDB can write it (`latest` or a release such as v1.4.0), else GtmError."""
    try:
        duckdb.connect(":memory:", config={"storage_compatibility_version": version}).close()
    except duckdb.Error as exc:
        raise GtmError(
            f"--storage-version {version}: DuckDB {duckdb.__version__} cannot write it; "
            "give a DuckDB release (e.g. v1.4.0, the default) or latest"
        ) from exc
    return version


def _create_work_file(work: Path) -> duckdb.DuckDBPyConnection:
    """Open (creating it) the build's work file in the chosen storage format."""
    return duckdb.connect(str(work), config={"storage_compatibility_version": storage_version()})


def file_storage_version(path: Path) -> str | None:
    """The storage format a DuckDB file is written in (e.g. 'v1.4.0+'), None if unreadable."""
    try:
        con = duckdb.connect()
        try:
            quoted = "'" + str(path).replace("'", "''") + "'"
            con.execute(f"attach {quoted} as inspected (read_only)")
            tags = con.execute(
                "select tags from duckdb_databases() where database_name = 'inspected'"
            ).fetchall()[0][0]
        finally:
            con.close()
    except duckdb.Error:
        return None
    return (tags or {}).get("storage_version")


def _written_as(version: str) -> str | None:
    """The storage_version tag DuckDB gives a file created with `version` (e.g. v1.4.3 and
    v1.4.0 both write 'v1.4.0+'): a throwaway file is created to ask."""
    with tempfile.TemporaryDirectory() as folder:
        probe = Path(folder) / "probe.duckdb"
        duckdb.connect(str(probe), config={"storage_compatibility_version": version}).close()
        return file_storage_version(probe)


def _publish(work: Path, warehouse: Path, build_info: Mapping[str, Any]) -> None:
    con = duckdb.connect(str(work))
    try:
        for schema in UNPUBLISHED_SCHEMAS:
            con.execute(f"drop schema if exists {schema} cascade")
        # What this file is, for readers and exports: when it was built, from what.
        con.execute(
            "create or replace table audit.build_info as select "
            "cast(? as timestamp) as built_at, "
            "(select as_of from intermediate.int_as_of) as as_of, "
            "? as input, ? as dbt_vars, ? as dbt_version, ? as gtm_version, "
            "? as project_fingerprint, ? as raw_digests, cast(? as boolean) as is_incremental, "
            "cast(? as varchar) as refresh_reason, "
            "cast(? as boolean) as intermediate_published",
            [
                build_info["built_at"],
                build_info["input"],
                build_info["dbt_vars"],
                build_info["dbt_version"],
                build_info["gtm_version"],
                build_info["project_fingerprint"],
                json.dumps(build_info.get("raw_digests", {}), sort_keys=True),
                build_info["is_incremental"],
                build_info["refresh_reason"],
                build_info["intermediate_published"],
            ],
        )
        con.execute("checkpoint")
    finally:
        con.close()
    with open(work, "rb+") as handle:
        os.fsync(handle.fileno())
    os.replace(work, warehouse)


def _build_info(
    raw_dir: Path | None, dbt_vars: Mapping[str, Any], *, keep_intermediate: bool = False
) -> dict[str, Any]:
    from importlib.metadata import version

    return {
        "built_at": datetime.now(UTC).replace(tzinfo=None).isoformat(timespec="seconds"),
        "input": str(raw_dir) if raw_dir is not None else "demo seeds",
        "dbt_vars": json.dumps(dict(dbt_vars), sort_keys=True),
        "dbt_version": version("dbt-core"),
        "gtm_version": version("gtm-analytics"),
        "project_fingerprint": _project_fingerprint(),
        "intermediate_published": keep_intermediate,
    }


def _project_fingerprint() -> str:
    """A digest of the project files that decide what the models compute (FINGERPRINTED)."""
    root = project_dir()
    paths: list[Path] = []
    for name in FINGERPRINTED:
        path = root / name
        if path.is_dir():
            # Doc blocks (*.md) only describe; every other file may change a result.
            paths += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix != ".md")
        else:
            paths.append(path)
    digest = hashlib.sha256()
    for path in paths:
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _comparable_vars(dbt_vars: str) -> dict[str, Any]:
    try:
        loaded = json.loads(dbt_vars)
    except (TypeError, ValueError):
        return {"(unreadable)": dbt_vars}
    return {key: value for key, value in loaded.items() if key not in INCREMENTAL_NEUTRAL_VARS}


def _full_refresh_reason(
    warehouse: Path, build_info: Mapping[str, Any], raw_dir: Path | None
) -> str | None:
    """Why this build cannot add to the published warehouse, or None when it can: the
    published file must exist and say (audit.build_info) that it was built from the same
    input, with the same vars and by the same version of the project, and the raw files
    must still hold the rows it loaded into its incremental tables (`_raw_digests`)."""
    if not warehouse.exists():
        return f"no published warehouse at {warehouse}"
    if warehouse.with_name(warehouse.name + ".wal").exists():
        # A copy of the file alone would miss what the write-ahead log holds.
        return "the published warehouse has changes that are not checkpointed (a .wal file)"
    try:
        con = duckdb.connect(str(warehouse), read_only=True)
        try:
            cursor = con.execute("select * from audit.build_info")
            names = [column[0] for column in cursor.description]
            rows = cursor.fetchall()
        finally:
            con.close()
    except duckdb.Error:
        return "the published warehouse has no readable audit.build_info"
    if len(rows) != 1:
        return "the published warehouse's audit.build_info does not hold one row"
    published = dict(zip(names, rows[0], strict=True))
    if not published.get("project_fingerprint"):
        return "the published warehouse was built before incremental builds were recorded"
    if published["input"] != build_info["input"]:
        return (
            f"the published warehouse was built from {published['input']}, "
            f"this build reads {build_info['input']}"
        )
    if _comparable_vars(published["dbt_vars"]) != _comparable_vars(build_info["dbt_vars"]):
        return (
            f"the published warehouse was built with other vars ({published['dbt_vars']}; "
            f"now {build_info['dbt_vars']})"
        )
    if published["gtm_version"] != build_info["gtm_version"]:
        return (
            f"the published warehouse was built by gtm-analytics {published['gtm_version']}, "
            f"this is {build_info['gtm_version']}"
        )
    # Builds before the scratch database published every layer.
    if published.get("intermediate_published", True) != build_info["intermediate_published"]:
        # An incremental build would keep (or lack) the other build's staging and
        # intermediate copies: start from an empty file instead.
        if build_info["intermediate_published"]:
            return "the published warehouse was built without --keep-intermediate, this one with"
        return "the published warehouse was built with --keep-intermediate, this one without"
    if published["project_fingerprint"] != build_info["project_fingerprint"]:
        return (
            "the project's models, macros, seeds or dbt_project.yml changed since the "
            "published build"
        )
    published_format = file_storage_version(warehouse)
    wanted_format = _written_as(storage_version())
    if published_format != wanted_format:
        return (
            f"the published warehouse is in DuckDB storage format {published_format}, this "
            f"build writes {wanted_format} (--storage-version {storage_version()})"
        )
    if raw_dir is not None:
        recorded = json.loads(published.get("raw_digests") or "{}")
        try:
            current = _raw_digests(raw_dir, warehouse, recorded)
        except duckdb.Error as exc:
            return f"the raw files could not be compared with the published build ({exc})"
        changed = sorted(table for table in recorded if current.get(table) != recorded[table])
        if changed:
            return (
                f"raw table {', '.join(changed)} no longer holds, unchanged, the rows the "
                "published warehouse loaded from it (rows were removed or rewritten; an "
                "incremental build needs raw files that only grow)"
            )
    return None


def _raw_reader(raw_dir: Path, table: str) -> str:
    """A DuckDB table function over a raw table's file (Parquet wins, as in the models)."""
    for suffix in (".parquet", ".csv"):
        path = raw_dir / f"{table}{suffix}"
        if path.exists():
            quoted = "'" + str(path).replace("'", "''") + "'"
            if suffix == ".parquet":
                return f"read_parquet({quoted})"
            # The raw contract's one CSV dialect; every value as text.
            return (
                f"read_csv({quoted}, header = true, delim = ',', quote = '\"', "
                "escape = '\"', all_varchar = true)"
            )
    raise duckdb.IOException(f"no file for raw table {table} in {raw_dir}")


def _raw_digests(
    raw_dir: Path,
    warehouse: Path | None,
    tables: Iterable[str],
    every_key_loaded: bool = False,
    threads: int | None = None,
) -> dict[str, str]:
    """Per raw table with an incremental staging model: a digest of the distinct raw rows
    (contract columns) whose key the warehouse's staging table holds.

    The build records it for the rows it loaded; the next build recomputes it over the
    raw files it reads, for the keys the published staging table holds. Appended rows
    (new keys, exact repeats, late rows never loaded) leave it unchanged; a loaded row
    that was removed or rewritten changes it, and the build refreshes fully instead of
    keeping the old copy.

    `every_key_loaded`: the warehouse is (or is being) refreshed fully from these
    files, so its staging table holds every raw key (it is the raw table
    de-duplicated) and the digest is taken over all raw rows without the key lookup,
    at half the cost; `warehouse` is not read then. `threads`: DuckDB's threads
    (None: its default).
    """
    digests: dict[str, str] = {}
    con = duckdb.connect(config={} if threads is None else {"threads": threads})
    try:
        if not every_key_loaded:
            quoted = "'" + str(warehouse).replace("'", "''") + "'"
            con.execute(f"attach {quoted} as built (read_only)")
        for table in tables:
            keys = PRIMARY_KEYS[table]
            columns = ", ".join(f'raw."{column}"' for column in RAW_TABLES[table])
            matches = " and ".join(f'loaded."{key}" = raw."{key}"' for key in keys)
            loaded = (
                ""
                if every_key_loaded
                else " where exists ("
                f"select 1 from built.staging.stg_hubspot__{table} as loaded where {matches})"
            )
            count, total = con.execute(
                "select count(*), coalesce(sum(row_hash), 0) from ("
                f"select distinct hash({columns}) as row_hash "
                f"from {_raw_reader(raw_dir, table)} as raw{loaded})"
            ).fetchall()[0]
            digests[table] = f"{count}:{total}"
    finally:
        con.close()
    return digests


class _DigestsAhead:
    """The raw digests of a full refresh, taken while dbt parses the project.

    A full refresh loads every raw row, so its digests depend on the raw files alone:
    they are computed beside the parse (one core's work in Python) on the other
    cores, for the tables the contract calls event tables (EVENT_TIMES, whose
    staging models are incremental). `result(tables)` gives them when dbt built
    exactly those tables incrementally, else None (the caller digests after the
    build, as for an incremental build); it waits for the digests if need be, and
    re-raises their error."""

    def __init__(self, raw_dir: Path) -> None:
        self._tables = sorted(EVENT_TIMES)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="raw-digests")
        self._future = self._pool.submit(
            _raw_digests,
            raw_dir,
            None,
            self._tables,
            every_key_loaded=True,
            threads=max(1, usable_cores() - 1),
        )

    def result(self, tables: list[str]) -> dict[str, str] | None:
        digests = self._future.result()
        return digests if sorted(tables) == self._tables else None

    def close(self) -> None:
        """Wait for the digests to end (a build that fails leaves them unused)."""
        self._pool.shutdown(wait=True, cancel_futures=True)


def _incremental_raw_tables(result: Any) -> list[str]:
    """The raw tables whose staging model dbt built as an incremental model."""
    prefix = "stg_hubspot__"
    return sorted(
        node_result.node.name[len(prefix) :]
        for node_result in getattr(result.result, "results", None) or []
        if node_result.node.name.startswith(prefix)
        and node_result.node.resource_type == "model"
        and node_result.node.config.materialized == "incremental"
    )


def _late_row_notes(read_rows: RowReader, relation: str) -> list[str]:
    """One note per raw table whose late rows, older than the lookback window, an
    incremental build did not load."""
    rows = read_rows(
        f"select table_name, late_rows_not_loaded from {relation} "
        "where late_rows_not_loaded > 0 order by table_name"
    )
    return [
        f"raw table {table}: {count} late {'row' if count == 1 else 'rows'} older than the "
        "incremental lookback window (var incremental_lookback_days) not loaded; "
        "`gtm build --full-refresh` loads them"
        for table, count in rows
    ]


def docs_path(warehouse: Path) -> Path:
    """Where the build publishes dbt's static docs site for a warehouse file."""
    return warehouse.with_name(f"{warehouse.stem}_docs.html")


def _generate_docs(build_args: list[str]) -> Path:
    """`dbt docs generate --static` with the build's vars and target; the page's path.
    `--no-compile`: the build that just ran compiled every node with the same vars, and
    its manifest (compiled SQL included) is what the page shows; compiling them all
    again cost about 4 CPU-s of a demo build."""
    from dbt.cli.main import dbtRunner

    args = ["docs", "generate", "--static", "--no-compile", *build_args[1:]]
    result = dbtRunner().invoke(args)
    _close_dbt_connections()
    if not result.success:
        raise GtmError(f"dbt docs generate failed: {result.exception or 'see dbt output'}")
    target_path = os.environ.get("DBT_TARGET_PATH") or str(project_dir() / "target")
    page = Path(target_path) / "static_index.html"
    if not page.is_absolute():
        page = project_dir() / page
    return page


def _replace_file(source: Path, destination: Path) -> None:
    temporary = destination.with_name(f".{destination.name}.{os.getpid()}")
    shutil.copyfile(source, temporary)
    os.replace(temporary, destination)


def _read_table_counts(read_rows: RowReader, relation: str) -> list[TableCounts]:
    """The audit summary of every raw table, from audit_raw_table_counts at `relation`."""
    rows = read_rows(f"select {TABLE_COUNTS_COLUMNS} from {relation} order by table_name")
    return [
        TableCounts(str(t), int(r), int(d), int(j), str(k), examples, by_column)
        for t, r, d, j, k, examples, by_column in rows
    ]


def build(
    *,
    warehouse: Path,
    raw_dir: Path | None = None,
    dbt_vars: Mapping[str, Any] | None = None,
    threads: int | None = None,
    target: str | None = None,
    docs: bool = True,
    full_refresh: bool = False,
    storage: str | None = None,
    unit_tests: bool = False,
    keep_intermediate: bool = False,
) -> BuildOutcome:
    """Build the warehouse and publish it at `warehouse`; raise GtmError on any failure.

    `storage` is the DuckDB storage format of the published file (default
    DEFAULT_STORAGE_VERSION; `latest` for the newest); a published file in another
    format is rebuilt in full.

    With `docs`, `dbt docs generate --static` runs against the new build and its
    single-page site is published beside the warehouse (see `docs_path`). The build
    is incremental (on a copy of the published warehouse) unless `full_refresh` or
    `_full_refresh_reason` says otherwise.

    The dbt unit tests run only with `unit_tests`: they test the project's SQL on
    fixed inputs, never the data, so a build of the same code proves nothing new
    with them (CI's `dbt build` and the engine test run them).

    The published file holds the marts, the audit tables and what an incremental
    build adds to; with `keep_intermediate` it also holds the staging and
    intermediate tables (see gtm_analytics.scratch).
    """
    warehouse = warehouse.resolve()
    engine = target_type(target)
    # Another engine has no scratch database: every relation goes to its target.
    scratch = engine == "duckdb" and not keep_intermediate
    if engine != "duckdb":
        if raw_dir is not None:
            raise GtmError(
                f"--raw-dir reads files with DuckDB; target {target} is {engine}: load the raw "
                "tables into a schema of that database and pass --var raw_schema=SCHEMA"
            )
        if storage is not None:
            raise GtmError(
                f"--storage-version sets the format of a DuckDB file; target {target} is {engine}"
            )
        with scratch_database(False):
            return _build_in_place(
                warehouse, dbt_vars or {}, threads, str(target), docs, full_refresh, unit_tests
            )
    os.environ[STORAGE_VERSION_ENV] = check_storage_version(storage or DEFAULT_STORAGE_VERSION)
    if raw_dir is not None:
        raw_dir = raw_dir.resolve()
        if not raw_dir.is_dir():
            raise GtmError(f"raw directory {raw_dir} does not exist")
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    with _build_lock(warehouse), scratch_database(scratch), shared_cores(threads) as share:
        notes, refresh_reason = _build_locked(
            warehouse,
            raw_dir,
            dbt_vars or {},
            threads,
            target,
            docs,
            full_refresh,
            unit_tests,
            keep_intermediate,
            core_share=share,
        )

    outcome = BuildOutcome(
        warehouse=warehouse,
        location=str(warehouse),
        table_counts=_read_table_counts(_duckdb_reader(warehouse), "audit.audit_raw_table_counts"),
        mode=(
            f"full refresh: {refresh_reason}"
            if refresh_reason
            else "incremental build: new rows added to a copy of the published warehouse"
        ),
    )
    _summarise(outcome).warnings.extend(notes)
    outcome.warnings.extend(
        _late_row_notes(_duckdb_reader(warehouse), "audit.audit_raw_table_counts")
    )
    return outcome


def target_type(target: str | None) -> str:
    """The adapter type (duckdb, postgres, spark, ...) of a target of the project's profile."""
    profiles = yaml.safe_load((project_dir() / "profiles.yml").read_text())
    profile = profiles["gtm_analytics"]
    name = target or profile["target"]
    outputs = profile["outputs"]
    if name not in outputs:
        raise GtmError(f"unknown target {name!r}: profiles.yml has {', '.join(outputs)}")
    return str(outputs[name]["type"])


def _build_in_place(
    warehouse: Path,
    dbt_vars: Mapping[str, Any],
    threads: int | None,
    target: str,
    docs: bool,
    full_refresh: bool = False,
    unit_tests: bool = False,
) -> BuildOutcome:
    """`gtm build --target postgres|spark|...`: dbt builds in the target's own database.

    Same command, checks and messages as on DuckDB, but no private work file: dbt
    replaces each relation as it goes, so a failed build can leave some models
    new and others old (the message says so). The docs page goes beside the
    default warehouse as `<target>_docs.html`. Incremental models add to the tables
    the target already holds (dbt's own rule) unless `full_refresh`: the target keeps
    no build record to compare with, so the choice is the caller's.
    """
    from dbt.cli.main import dbtRunner

    args = dbt_args("build", raw_dir=None, dbt_vars=dbt_vars, threads=threads, target=target)
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    # One build per target from this machine; the lock file sits beside the warehouse.
    with _build_lock(warehouse.with_name(f"{target}.target")):
        result = dbtRunner().invoke(_build_command(args, full_refresh, unit_tests))
        read_rows = _target_reader(args)
        if not result.success:
            messages = _failure_messages(result, read_rows) or ["dbt build failed"]
            raise GtmError(
                f"build failed on target {target}; relations built before the failure were "
                "replaced, the others were left as they were:\n  - " + "\n  - ".join(messages)
            )
        notes = _warning_notes(result, read_rows)
        if docs:
            _replace_file(_generate_docs(args), warehouse.with_name(f"{target}_docs.html"))
        counts_relation = next(
            node_result.node.relation_name
            for node_result in result.result.results
            if node_result.node.name == "audit_raw_table_counts"
        )
        counts = _read_table_counts(read_rows, counts_relation)
        late_notes = _late_row_notes(read_rows, counts_relation)
    outcome = BuildOutcome(
        warehouse=None,
        location=f"target {target} (schemas marts, audit, intermediate, staging)",
        table_counts=counts,
        mode=(
            "full refresh: --full-refresh"
            if full_refresh
            else "incremental build: incremental models added to the tables the target holds"
        ),
    )
    _summarise(outcome).warnings.extend(notes + late_notes)
    return outcome


def _build_locked(
    warehouse: Path,
    raw_dir: Path | None,
    dbt_vars: Mapping[str, Any],
    threads: int | None,
    target: str | None,
    docs: bool,
    full_refresh: bool = False,
    unit_tests: bool = False,
    keep_intermediate: bool = False,
    core_share: int | None = None,
) -> tuple[list[str], str | None]:
    """The build proper, under the warehouse's lock: dbt into the work file, then publish.
    Returns the notes of warning-level checks (raw volume, freshness) and why the build
    was a full refresh (None: it was incremental). `core_share`: DuckDB's threads per
    query that `shared_cores` set; a node running alone then gets every core
    (CoreSharer). None: the threads stay as the environment says."""
    from dbt.cli.main import dbtRunner

    work = _work_path(warehouse)
    _remove_work_files(work)  # left by a killed build: we hold the lock, so it is dead
    for stale in warehouse.parent.glob(f".{docs_path(warehouse).name}.*"):
        stale.unlink(missing_ok=True)  # a docs page a killed build was copying in
    os.environ["GTM_DUCKDB_PATH"] = str(work)
    args = dbt_args("build", raw_dir=raw_dir, dbt_vars=dbt_vars, threads=threads, target=target)
    info = _build_info(raw_dir, dbt_vars, keep_intermediate=keep_intermediate)
    reason = "--full-refresh" if full_refresh else _full_refresh_reason(warehouse, info, raw_dir)
    ahead: _DigestsAhead | None = None
    try:
        if reason is None:
            # The published file stays untouched: dbt adds to a copy of it.
            shutil.copyfile(warehouse, work)
        notes = _carry_previous_counts(warehouse, work)
        if raw_dir is not None and reason is not None:
            ahead = _DigestsAhead(raw_dir)
        manifest = None if keep_intermediate else _parsed_manifest(args)
        callbacks: list[Callable[[Any], None]] = []
        if manifest is not None:
            callbacks.append(ScratchReleaser(manifest.nodes, _drop_table))
        sharer = _core_sharer(core_share)
        if sharer is not None:
            callbacks.append(sharer)
        with sharer or contextlib.nullcontext():
            result = dbtRunner(manifest=manifest, callbacks=callbacks).invoke(
                _build_command(args, reason is not None, unit_tests)
            )
        _close_dbt_connections()
        if not result.success:
            messages = _failure_messages(result, _duckdb_reader(work)) or ["dbt build failed"]
            raise GtmError(
                "build failed; the published warehouse "
                f"{warehouse} was left as it was:\n  - " + "\n  - ".join(messages)
            )
        if raw_dir is not None:
            tables = _incremental_raw_tables(result)
            try:
                digests = ahead.result(tables) if ahead is not None else None
                info["raw_digests"] = digests or _raw_digests(
                    raw_dir, work, tables, every_key_loaded=reason is not None
                )
            except duckdb.Error:
                # Nothing to compare with: the next build refreshes fully.
                info["raw_digests"] = dict.fromkeys(tables, "(unreadable)")
        notes += _warning_notes(result, _duckdb_reader(work))
        docs_page = _generate_docs(args) if docs else None
        info["built_at"] = _build_info(raw_dir, dbt_vars)["built_at"]
        _publish(
            work, warehouse, {**info, "is_incremental": reason is None, "refresh_reason": reason}
        )
        if docs_page is not None:
            _replace_file(docs_page, docs_path(warehouse))
    finally:
        if ahead is not None:
            ahead.close()
        _close_dbt_connections()
        _remove_work_files(work)
    return notes, reason


def _duplicate_note(counts: TableCounts) -> str:
    """Raw contract: a repeated primary key is one record; the latest updated_at wins."""
    columns = "columns" if "," in counts.primary_key else "column"
    has_updated_at = any(c.name == "updated_at" for c in RAW_CONTRACT.get(counts.table, ()))
    kept = "the copy with the latest updated_at is kept" if has_updated_at else "one copy is kept"
    noun = "row" if counts.duplicates == 1 else "rows"
    examples = f" (e.g. {counts.duplicate_examples})" if counts.duplicate_examples else ""
    return (
        f"raw table {counts.table}, {columns} {counts.primary_key}: {counts.duplicates} "
        f"repeated {noun} de-duplicated by the rule 'a repeated primary key is one record, "
        f"{kept}'{examples}"
    )


def _rejected_note(counts: TableCounts) -> str:
    """Raw contract: a foreign key that points nowhere keeps the row out of the marts."""
    noun = "row" if counts.rejected == 1 else "rows"
    detail = counts.rejected_by_column or "a foreign key names no row of its parent table"
    return (
        f"raw table {counts.table}, {detail}; {counts.rejected} {noun} kept out of the "
        "marts, listed with the reason in audit.audit_rejected_rows"
    )


def _summarise(outcome: BuildOutcome) -> BuildOutcome:
    """Turn the audit counts into the notes `gtm build` prints: table, column, rule,
    count and example keys, as for the contract's errors."""
    for counts in outcome.table_counts:
        if counts.duplicates:
            outcome.warnings.append(_duplicate_note(counts))
        if counts.rejected:
            outcome.warnings.append(_rejected_note(counts))
    return outcome
