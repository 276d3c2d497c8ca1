"""Faults: builds killed at several moments, and a full disk, while a reader holds the
published file. Each leaves the published warehouse byte-identical and readable -
by the reader that was already connected and by a new one - and the disk case says
what ran out.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pytest

from conftest import PROJECT_DIR, query, sha256
from hardening_support import Workspace

# Where in a build each kill lands: the dbt log line that shows the build got there.
# The kill follows after a random delay (seeded: CI stays stable).
KILL_POINTS = [
    ("loading the seeds", "OK loaded seed file", 1.5, False),
    (
        "building the intermediate models",
        "OK created sql table model scratch.intermediate.",
        2.0,
        False,
    ),
    ("generating the docs site", "Building catalog", 1.0, True),
]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory, demo_warehouse: Path) -> Workspace:
    workspace = Workspace(tmp_path_factory.mktemp("faults"))
    workspace.publish_copy_of(demo_warehouse)
    return workspace


@pytest.fixture
def reader(workspace: Workspace) -> Iterator[duckdb.DuckDBPyConnection]:
    """A BI reader connected to the published file for the whole test."""
    con = duckdb.connect(str(workspace.warehouse), read_only=True)
    try:
        yield con
    finally:
        con.close()


def _snapshot(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute(
        "select (select count(*) from marts.fct_sequence_enrollments), "
        "(select sum(total_enrollments) from marts.sequence_performance), "
        "(select cast(built_at as varchar) from audit.build_info)"
    ).fetchall()


def _wait_for(condition: Callable[[], bool], process: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + 600
    while not condition():
        if process.poll() is not None:
            pytest.fail(f"the build ended (exit {process.returncode}) before {what}")
        if time.monotonic() > deadline:
            pytest.fail(f"the build never reached {what}")
        time.sleep(0.05)


def _assert_intact(
    workspace: Workspace, digest: str, reader: duckdb.DuckDBPyConnection, seen: list[tuple]
) -> None:
    assert sha256(workspace.warehouse) == digest, "the published warehouse changed"
    assert _snapshot(reader) == seen, "the connected reader sees other data"
    fresh = duckdb.connect(str(workspace.warehouse), read_only=True)
    try:
        assert _snapshot(fresh) == seen, "a new reader sees other data"
    finally:
        fresh.close()
    leftovers = {p.name for p in workspace.published_dir.iterdir()}
    # A killed build may leave its work file; the next build removes it.
    assert leftovers <= {".gtm.lock", "gtm.duckdb", ".gtm.work.duckdb", ".gtm.work.duckdb.wal"}


def test_builds_killed_at_several_moments_leave_the_published_file_intact(
    workspace: Workspace, reader: duckdb.DuckDBPyConnection
) -> None:
    digest = sha256(workspace.warehouse)
    seen = _snapshot(reader)
    rng = random.Random(8)
    log = workspace.root / "dbt_logs" / "dbt.log"
    for point, marker, max_delay, docs in KILL_POINTS:
        start = log.stat().st_size if log.exists() else 0

        def reached(marker: str = marker, start: int = start) -> bool:
            if not log.exists():
                return False
            with log.open("rb") as handle:
                handle.seek(start)
                return marker.encode() in handle.read()

        args = ["build", "--warehouse", str(workspace.warehouse)]
        process = subprocess.Popen(
            [sys.executable, "-m", "gtm_analytics", *args, *([] if docs else ["--no-docs"])],
            cwd=PROJECT_DIR,
            env=workspace.dbt_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            _wait_for(reached, process, point)
            time.sleep(rng.uniform(0, max_delay))
            assert process.poll() is None, f"the build finished before it was killed ({point})"
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=60)
        assert process.returncode == -signal.SIGKILL, point
        _assert_intact(workspace, digest, reader, seen)


def test_full_disk_stops_the_build_with_a_clear_message(
    workspace: Workspace, reader: duckdb.DuckDBPyConnection, raw_csv_dir: Path, tmp_path: Path
) -> None:
    # A tiny memory limit forces DuckDB to spill to its temporary directory, and a tiny
    # cap on that directory is a disk that fills up (profiles.yml reads both from the
    # environment). Its own dbt target: the changed profile would void the others' parse.
    digest = sha256(workspace.warehouse)
    seen = _snapshot(reader)
    workspace.fresh_raw(raw_csv_dir)
    result = Workspace(tmp_path).gtm(
        "build",
        "--no-docs",
        "--raw-dir",
        str(workspace.raw),
        "--warehouse",
        str(workspace.warehouse),
        env={
            "GTM_DUCKDB_MEMORY_LIMIT": "16MB",
            "GTM_DUCKDB_MAX_TEMP_SIZE": "1MB",
        },
    )
    assert result.returncode == 1, result.output
    assert result.stderr.startswith("error: build failed"), result.stderr
    assert "ran out of memory or temporary disk space" in result.stderr, result.stderr
    assert "Traceback" not in result.output
    _assert_intact(workspace, digest, reader, seen)
    assert not (workspace.published_dir / ".gtm.work.duckdb").exists(), "a failed build cleans up"
    assert query(workspace.warehouse, "select count(*) from audit.build_info") == [(1,)]
