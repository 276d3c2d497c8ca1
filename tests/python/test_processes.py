"""How `gtm build` shares the cores among dbt's threads: DuckDB's threads per query are
the usable cores divided by the nodes dbt runs at once (at least one), an explicit
GTM_DUCKDB_THREADS wins, and the build's dbt runs see the value."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from gtm_analytics import build as build_module
from gtm_analytics import processes
from gtm_analytics.errors import GtmError
from gtm_analytics.processes import (
    DBT_THREADS_ENV,
    DUCKDB_THREADS_ENV,
    duckdb_threads_per_query,
    shared_cores,
)


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.delenv(DBT_THREADS_ENV, raising=False)
    monkeypatch.delenv(DUCKDB_THREADS_ENV, raising=False)
    return monkeypatch


@pytest.mark.parametrize(
    ("cores", "threads", "dbt_env", "expected"),
    [
        (2, None, None, 1),  # the 2-core machine, dbt's default 2 threads
        (16, None, None, 8),
        (3, None, None, 1),  # a remainder core is not split
        (1, None, None, 1),  # never below one
        (1, 4, None, 1),
        (16, 8, None, 2),  # --threads
        (16, None, "4", 4),  # GTM_THREADS
        (16, 1, "4", 16),  # --threads wins over GTM_THREADS
    ],
)
def test_threads_per_query_share_the_usable_cores(
    clean_env: pytest.MonkeyPatch,
    cores: int,
    threads: int | None,
    dbt_env: str | None,
    expected: int,
) -> None:
    clean_env.setattr(processes, "usable_cores", lambda: cores)
    if dbt_env is not None:
        clean_env.setenv(DBT_THREADS_ENV, dbt_env)
    assert duckdb_threads_per_query(threads) == expected


@pytest.mark.parametrize("value", ["two", "0", "-1"])
def test_a_bad_dbt_threads_setting_names_the_variable(
    clean_env: pytest.MonkeyPatch, value: str
) -> None:
    clean_env.setenv(DBT_THREADS_ENV, value)
    with pytest.raises(GtmError, match=f"{DBT_THREADS_ENV}='{value}'.*whole number >= 1"):
        duckdb_threads_per_query(None)


def test_shared_cores_sets_the_variable_and_restores_it(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setattr(processes, "usable_cores", lambda: 16)
    with shared_cores(4):
        assert os.environ[DUCKDB_THREADS_ENV] == "4"
    assert DUCKDB_THREADS_ENV not in os.environ


def test_an_explicit_duckdb_threads_setting_wins(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setattr(processes, "usable_cores", lambda: 16)
    clean_env.setenv(DUCKDB_THREADS_ENV, "3")
    with shared_cores(2):
        assert os.environ[DUCKDB_THREADS_ENV] == "3"
    assert os.environ[DUCKDB_THREADS_ENV] == "3"


def test_the_build_runs_dbt_with_the_shared_cores(
    clean_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """`gtm build` (DuckDB) runs its dbt work inside shared_cores: the variable is set
    while the build runs and gone afterwards."""
    clean_env.setattr(processes, "usable_cores", lambda: 6)
    seen: list[str | None] = []

    def fake_build_locked(*args: Any, **kwargs: Any) -> Any:
        seen.append(os.environ.get(DUCKDB_THREADS_ENV))
        raise GtmError("stop here")

    clean_env.setattr(build_module, "_build_locked", fake_build_locked)
    with pytest.raises(GtmError, match="stop here"):
        build_module.build(warehouse=tmp_path / "w.duckdb", threads=3, docs=False)
    assert seen == ["2"]
    assert DUCKDB_THREADS_ENV not in os.environ
