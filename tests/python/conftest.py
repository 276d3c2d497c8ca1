"""Shared fixtures: run the `gtm` command line, generate raw directories, build once."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]


def pytest_configure(config: pytest.Config) -> None:
    """Markers of this suite (`pytest -m "not engines"` leaves the slow stage out)."""
    config.addinivalue_line(
        "markers",
        "engines: builds the demo on PostgreSQL and Spark and compares every mart with "
        "DuckDB's (minutes; needs PostgreSQL's server binaries and Java)",
    )


@dataclass
class Run:
    """A finished `gtm` process."""

    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def run_gtm(*args: str, tmp_dir: Path, env: dict[str, str] | None = None) -> Run:
    """Run `python -m gtm_analytics ARGS` as a user would, with dbt's files kept in tmp_dir."""
    full_env = dict(os.environ)
    # Each run keeps its own dbt target and logs, so tests never share a manifest.
    full_env["DBT_TARGET_PATH"] = str(tmp_dir / "dbt_target")
    full_env["DBT_LOG_PATH"] = str(tmp_dir / "dbt_logs")
    full_env.update(env or {})
    completed = subprocess.run(
        [sys.executable, "-m", "gtm_analytics", *args],
        cwd=PROJECT_DIR,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    return Run(completed.returncode, completed.stdout, completed.stderr)


def sha256(path: Path) -> str:
    """Digest of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def query(warehouse: Path, sql: str) -> list[tuple]:
    """Rows of one query against a published warehouse, read-only."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="session")
def gtm(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Run]:
    """Call `gtm` with per-call dbt target/log folders."""

    def call(*args: str, env: dict[str, str] | None = None) -> Run:
        return run_gtm(*args, tmp_dir=tmp_path_factory.mktemp("gtm"), env=env)

    return call


@pytest.fixture(scope="session")
def demo_warehouse(gtm: Callable[..., Run], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo warehouse, built once from the committed seeds."""
    warehouse = tmp_path_factory.mktemp("demo") / "gtm.duckdb"
    result = gtm("build", "--warehouse", str(warehouse))
    assert result.returncode == 0, result.output
    return warehouse


@pytest.fixture(scope="session")
def raw_csv_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo-size raw directory in CSV, from the generator's default seed."""
    from gtm_analytics.generate import generate

    out = tmp_path_factory.mktemp("raw_csv")
    generate(out, fmt="csv")
    return out


@pytest.fixture(scope="session")
def raw_parquet_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same data as raw_csv_dir, in Parquet."""
    from gtm_analytics.generate import generate

    out = tmp_path_factory.mktemp("raw_parquet")
    generate(out, fmt="parquet")
    return out
