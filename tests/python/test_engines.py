"""One project, three engines: the demo data built on DuckDB, PostgreSQL and a Spark cluster
gives the same marts, row for row.

Each engine gets a private database: DuckDB a temp file, PostgreSQL a server this module
initialises (`initdb`) on a free local port and stops, Spark a local standalone cluster
(gtm_analytics.spark_cluster: a master, two one-core workers and the Thrift server, pyspark's
Java classes and the machine's Java, in-memory catalog) started and stopped likewise. DuckDB and
PostgreSQL run `gtm build` on the demo seeds; on Spark the demo's raw tables (the seeds folder,
a raw directory of CSV files) are loaded into the cluster's catalog with `gtm load` and built
with `gtm build --target spark_thrift --var raw_schema=...` through the Thrift server. Each
build runs the models and every data test, DuckDB's and PostgreSQL's the unit tests too. Then
every mart (and the two audit models) is compared with DuckDB's: rows sorted by all columns,
floating point within 1e-9 relative, timestamps and dates as values, decimals as numbers,
booleans as booleans.

The DuckDB and PostgreSQL builds run in the background while the cluster starts and Spark
builds. The output shows the cluster's master and workers when it starts and the executors in
use after the build. Run this stage alone with `pytest -m engines`; it needs PostgreSQL's
server binaries (`initdb`, `pg_ctl`; set GTM_PG_BINDIR to point elsewhere), `java` (17) and
dbt-spark's PyHive extra.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import math
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from gtm_analytics.errors import GtmError
from gtm_analytics.paths import project_dir
from gtm_analytics.pg_server import throwaway_postgres
from gtm_analytics.spark_cluster import SparkCluster, throwaway_spark_cluster

pytestmark = pytest.mark.engines

REL_TOL = 1e-9
# A float that should be zero may come out as 1e-17 on another engine.
ABS_TOL = 1e-12
# Compared besides every table in schema marts: the staging layer's outcome.
AUDIT_MODELS = ("audit.audit_raw_table_counts", "audit.audit_rejected_rows")
BUILD_TIMEOUT_S = 1500
# The demo's raw tables as files (the seeds are a raw directory: <table>.csv), loaded
# into the Spark cluster's catalog under this schema.
SEEDS_DIR = project_dir() / "seeds"
SPARK_RAW_SCHEMA = "raw_landed"
SPARK_WORKERS = 2
Table = tuple[list[str], list[tuple]]


@dataclass
class BackgroundBuild:
    """A `dbt build` running in a child process, its output in a file."""

    label: str
    process: subprocess.Popen
    log: Path

    def wait(self) -> None:
        """Wait for the build; fail with the end of its output unless it passed."""
        try:
            returncode = self.process.wait(timeout=BUILD_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise
        output = self.log.read_text(errors="replace")
        assert returncode == 0, f"dbt build failed on {self.label}:\n{output[-6000:]}"


def _start_build(
    label: str,
    work: Path,
    target: str,
    env: dict[str, str],
    extra_args: list[str],
    unit_tests: bool = True,
) -> BackgroundBuild:
    """Start `gtm build --target TARGET` with its own target and log folders."""
    full_env = {
        **os.environ,
        **env,
        "DBT_TARGET_PATH": str(work / "target"),
        "DBT_LOG_PATH": str(work / "logs"),
    }
    log = work / "build.log"
    with log.open("w") as handle:
        process = subprocess.Popen(
            [sys.executable, "-m", "gtm_analytics", "build", "--target", target, "--no-docs"]
            # the unit tests too: each engine's dispatched SQL on their fixed edges
            + (["--unit-tests"] if unit_tests else [])
            + extra_args,
            cwd=work,
            env=full_env,
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
    return BackgroundBuild(label, process, log)


def _dbt_elapsed(work: Path) -> float:
    """Seconds dbt itself reports for the build whose target folder is under `work`."""
    return json.loads((work / "target" / "run_results.json").read_text())["elapsed_time"]


# --------------------------------------------------------------------------- comparison


def _value(value: object) -> object:
    """One engine's value in a form comparable across engines."""
    if isinstance(value, decimal.Decimal) and value.is_finite():
        return value.normalize()
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        # Every engine stores UTC instants as timestamps without a zone.
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


def _sort_key(row: tuple) -> tuple:
    key = []
    for value in row:
        if value is None:
            key.append((0, 0, ""))
        elif isinstance(value, bool | int | float | decimal.Decimal):
            # Rounded so that a last-bit difference cannot reorder rows.
            key.append((1, float(f"{float(value):.9g}"), ""))
        else:
            key.append((2, 0, str(value)))
    return tuple(key)


def _same(left: object, right: object) -> bool:
    if left is None or right is None:
        return left is None and right is None
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool) and left == right
    numbers = int | float | decimal.Decimal
    if isinstance(left, numbers) and isinstance(right, numbers):
        if isinstance(left, float) or isinstance(right, float):
            return math.isclose(float(left), float(right), rel_tol=REL_TOL, abs_tol=ABS_TOL)
        return decimal.Decimal(left) == decimal.Decimal(right)
    # dates with dates, timestamps with timestamps, text with text
    return type(left) is type(right) and left == right


def _table(columns: list[str], rows: list[tuple]) -> Table:
    normalised = [tuple(_value(value) for value in row) for row in rows]
    return [column.lower() for column in columns], sorted(normalised, key=_sort_key)


def _differences(name: str, expected: Table, actual: Table | None, engine: str) -> list[str]:
    if actual is None:
        return [f"{name}: missing on {engine}"]
    expected_columns, expected_rows = expected
    actual_columns, actual_rows = actual
    if expected_columns != actual_columns:
        return [f"{name}: columns differ on {engine}: {actual_columns} vs {expected_columns}"]
    if len(expected_rows) != len(actual_rows):
        return [f"{name}: {len(actual_rows)} rows on {engine}, {len(expected_rows)} on duckdb"]
    problems = []
    for number, (want, got) in enumerate(zip(expected_rows, actual_rows, strict=True)):
        for column, left, right in zip(expected_columns, want, got, strict=True):
            if not _same(left, right):
                problems.append(
                    f"{name} row {number} column {column}: {engine} {right!r}, duckdb {left!r}"
                )
    return problems


def _assert_equal(reference: dict[str, Table], other: dict[str, Table], engine: str) -> None:
    problems = (
        [f"tables only on {engine}: {sorted(set(other) - set(reference))}"]
        if set(other) - set(reference)
        else []
    )
    for name, expected in reference.items():
        problems += _differences(name, expected, other.get(name), engine)
    assert not problems, f"{len(problems)} differences:\n" + "\n".join(problems[:50])


# --------------------------------------------------------------------------- the builds


@pytest.fixture(scope="module")
def postgres_server() -> Iterator[dict[str, str]]:
    """A private PostgreSQL server on a free port, stopped and deleted afterwards."""
    try:
        with throwaway_postgres() as server:
            yield server.env
    except GtmError as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="module")
def background_builds(
    postgres_server: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, tuple[BackgroundBuild, Path]]]:
    """The DuckDB and PostgreSQL builds, started at once and left running (killed at the
    end of the module if still running, e.g. after a failure)."""
    duckdb_work = tmp_path_factory.mktemp("engine_duckdb")
    database = duckdb_work / "gtm.duckdb"
    postgres_work = tmp_path_factory.mktemp("engine_postgres")
    builds = {
        "duckdb": (
            _start_build("duckdb", duckdb_work, "duckdb", {}, ["--warehouse", str(database)]),
            database,
        ),
        "postgres": (
            _start_build(
                "postgres",
                postgres_work,
                "postgres",
                postgres_server,
                ["--warehouse", str(postgres_work / "unused.duckdb")],
            ),
            postgres_work,
        ),
    }
    try:
        yield builds
    finally:
        for build, _path in builds.values():
            if build.process.poll() is None:
                build.process.kill()
                build.process.wait()


@pytest.fixture(scope="module")
def timings() -> Iterator[dict[str, float]]:
    """Seconds of each build (dbt's own count; Spark also with session start-up), printed
    at the end (`pytest -s` shows it)."""
    seconds: dict[str, float] = {}
    yield seconds
    print(f"\nengine build seconds: { {k: round(v, 1) for k, v in seconds.items()} }")


@pytest.fixture(scope="module")
def spark_cluster(pytestconfig: pytest.Config) -> Iterator[SparkCluster]:
    """A local standalone Spark cluster: a master, two one-core workers and the Thrift
    server (in-memory catalog), on free local ports; stopped and deleted afterwards, also
    when a test fails."""
    try:
        with throwaway_spark_cluster(
            workers=SPARK_WORKERS, catalog="in-memory", small_data=True
        ) as cluster:
            _say(pytestconfig, "spark cluster started:\n" + cluster.describe())
            yield cluster
    except GtmError as exc:
        pytest.fail(str(exc))


def _say(config: pytest.Config, text: str) -> None:
    """Print past pytest's output capture: the cluster's addresses belong in the log."""
    capture = config.pluginmanager.getplugin("capturemanager")
    if capture is None:  # -p no:capture
        print(f"\n{text}", flush=True)
        return
    with capture.global_and_fixture_disabled():
        print(f"\n{text}", flush=True)


@pytest.fixture(scope="module")
def spark_marts(
    background_builds: dict,
    spark_cluster: SparkCluster,
    timings: dict[str, float],
    pytestconfig: pytest.Config,
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, Table]:
    """Every mart built on the cluster through the Thrift server: the demo's raw tables
    loaded into its catalog (`gtm load`), then `gtm build --target spark_thrift --var
    raw_schema=...`, as a team with a cluster runs it; read back through the Thrift server."""
    work = tmp_path_factory.mktemp("engine_spark")
    env = {
        **spark_cluster.env,
        "DBT_TARGET_PATH": str(work / "target"),
        "DBT_LOG_PATH": str(work / "logs"),
    }
    started = time.monotonic()
    loaded = subprocess.run(
        [
            sys.executable,
            "-m",
            "gtm_analytics",
            "load",
            "--target",
            "spark_thrift",
            "--raw-dir",
            str(SEEDS_DIR),
            "--schema",
            SPARK_RAW_SCHEMA,
        ],
        cwd=work,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT_S,
    )
    assert loaded.returncode == 0, f"gtm load failed:\n{loaded.stdout}\n{loaded.stderr}"
    timings["spark load"] = time.monotonic() - started
    build = _start_build(
        "spark_thrift",
        work,
        "spark_thrift",
        env,
        ["--var", f"raw_schema={SPARK_RAW_SCHEMA}", "--warehouse", str(work / "unused.duckdb")],
        # Not the unit tests (nor did the local-session leg before): on the Thrift server
        # each costs tens of seconds, one (a fixture of many rows) minutes; DuckDB and
        # PostgreSQL run them.
        unit_tests=False,
    )
    try:
        build.wait()
    finally:
        if build.process.poll() is None:
            build.process.kill()
            build.process.wait()
    timings["spark"] = time.monotonic() - started
    timings["spark dbt"] = _dbt_elapsed(work)
    # gtm build's non-DuckDB path: its summary was read back from the cluster.
    assert "published target spark_thrift" in build.log.read_text()
    _say(pytestconfig, "spark cluster after the build:\n" + spark_cluster.describe())
    from pyhive import hive

    con = hive.connect(host="127.0.0.1", port=spark_cluster.thrift_port, username="gtm")
    try:
        cursor = con.cursor()
        cursor.execute("show tables in marts")
        names = [f"marts.{row[1]}" for row in cursor.fetchall() if not row[2]]
        return {name: _spark_table(cursor, name) for name in names + list(AUDIT_MODELS)}
    finally:
        con.close()


def _spark_table(cursor: object, name: str) -> Table:
    """One table read through the Thrift server (PyHive), in comparable values."""
    cursor.execute(f"select * from {name} limit 0")  # type: ignore[attr-defined]
    described = [(column[0], column[1]) for column in cursor.description]  # type: ignore
    columns = [column.rsplit(".", 1)[-1] for column, _type in described]
    # Instants as microseconds since the epoch (no time zone on the way), dates as text.
    selected = [
        f"unix_micros(`{column}`)"
        if kind == "TIMESTAMP_TYPE"
        else f"cast(`{column}` as string)"
        if kind == "DATE_TYPE"
        else f"`{column}`"
        for column, (_name, kind) in zip(columns, described, strict=True)
    ]
    cursor.execute(f"select {', '.join(selected)} from {name}")  # type: ignore[attr-defined]
    kinds = [kind for _name, kind in described]
    epoch = dt.datetime(1970, 1, 1)

    def value(kind: str, raw: object) -> object:
        if raw is None:
            return None
        if kind == "TIMESTAMP_TYPE":
            return epoch + dt.timedelta(microseconds=raw)  # type: ignore[arg-type]
        if kind == "DATE_TYPE":
            return dt.date.fromisoformat(raw)  # type: ignore[arg-type]
        if kind == "DECIMAL_TYPE" and not isinstance(raw, decimal.Decimal):
            return decimal.Decimal(str(raw))
        return raw

    rows = [
        tuple(value(kind, raw) for kind, raw in zip(kinds, row, strict=True))
        for row in cursor.fetchall()  # type: ignore[attr-defined]
    ]
    return _table(columns, rows)


@pytest.fixture(scope="module")
def duckdb_marts(background_builds: dict, timings: dict[str, float]) -> dict[str, Table]:
    """Every mart of the DuckDB build (the reference)."""
    build, database = background_builds["duckdb"]
    build.wait()
    timings["duckdb dbt"] = _dbt_elapsed(database.parent)
    con = duckdb.connect(str(database), read_only=True)
    try:
        names = [
            f"marts.{name}"
            for (name,) in con.execute(
                "select table_name from information_schema.tables "
                "where table_schema = 'marts' order by table_name"
            ).fetchall()
        ] + list(AUDIT_MODELS)
        marts = {}
        for name in names:
            cursor = con.execute(f"select * from {name}")
            marts[name] = _table([column[0] for column in cursor.description], cursor.fetchall())
        return marts
    finally:
        con.close()


@pytest.fixture(scope="module")
def postgres_marts(
    background_builds: dict,
    postgres_server: dict[str, str],
    duckdb_marts: dict[str, Table],
    timings: dict[str, float],
) -> dict[str, Table]:
    """Every mart of the PostgreSQL build."""
    import psycopg2

    build, work = background_builds["postgres"]
    build.wait()
    timings["postgres dbt"] = _dbt_elapsed(work)
    con = psycopg2.connect(
        host="127.0.0.1", port=int(postgres_server["GTM_PG_PORT"]), user="gtm", dbname="gtm"
    )
    try:
        with con.cursor() as cursor:
            cursor.execute(
                "select table_name from information_schema.tables "
                "where table_schema = 'marts' order by table_name"
            )
            names = [f"marts.{name}" for (name,) in cursor.fetchall()] + list(AUDIT_MODELS)
            marts = {}
            for name in names:
                cursor.execute(f"select * from {name}")
                columns = [column.name for column in cursor.description]
                marts[name] = _table(columns, cursor.fetchall())
        return marts
    finally:
        con.close()


# --------------------------------------------------------------------------- the tests
# Spark first: its fixture starts the background builds, then builds while they run.


def test_spark_marts_equal_duckdb(
    spark_marts: dict[str, Table], duckdb_marts: dict[str, Table]
) -> None:
    _assert_equal(duckdb_marts, spark_marts, "spark")


def test_postgres_marts_equal_duckdb(
    postgres_marts: dict[str, Table], duckdb_marts: dict[str, Table]
) -> None:
    _assert_equal(duckdb_marts, postgres_marts, "postgres")


def test_every_mart_is_compared(duckdb_marts: dict[str, Table]) -> None:
    marts = [name for name in duckdb_marts if name.startswith("marts.")]
    assert len(marts) >= 25, marts
    empty = [name for name, (_columns, rows) in duckdb_marts.items() if not rows]
    assert not empty, f"empty in the demo build, so compared vacuously: {empty}"
