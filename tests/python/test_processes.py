"""How `gtm build` shares the cores among dbt's threads: DuckDB's threads per query are
the usable cores divided by the nodes dbt runs at once (at least one), an explicit
GTM_DUCKDB_THREADS wins, the build's dbt runs see the value, and while dbt runs the
`CoreBalancer` follows the nodes actually running."""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from gtm_analytics import build as build_module
from gtm_analytics import processes
from gtm_analytics.errors import GtmError
from gtm_analytics.processes import (
    DBT_THREADS_ENV,
    DUCKDB_THREADS_ENV,
    CoreBalancer,
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


@pytest.mark.parametrize(("explicit", "expected"), [(None, ("2", True)), ("5", ("5", False))])
def test_the_build_runs_dbt_with_the_shared_cores(
    clean_env: pytest.MonkeyPatch,
    tmp_path: Path,
    explicit: str | None,
    expected: tuple[str, bool],
) -> None:
    """`gtm build` (DuckDB) runs its dbt work inside shared_cores: the variable is set
    while the build runs and gone afterwards, and the balancer runs unless the user set
    DuckDB's threads."""
    clean_env.setattr(processes, "usable_cores", lambda: 6)
    if explicit is not None:
        clean_env.setenv(DUCKDB_THREADS_ENV, explicit)
    seen: list[tuple[str | None, bool]] = []

    def fake_build_locked(*args: Any, balance_cores: bool = False, **kwargs: Any) -> Any:
        seen.append((os.environ.get(DUCKDB_THREADS_ENV), balance_cores))
        raise GtmError("stop here")

    clean_env.setattr(build_module, "_build_locked", fake_build_locked)
    with pytest.raises(GtmError, match="stop here"):
        build_module.build(warehouse=tmp_path / "w.duckdb", threads=3, docs=False)
    assert seen == [expected]
    assert os.environ.get(DUCKDB_THREADS_ENV) == explicit


def _event(name: str, node: str) -> Any:
    return SimpleNamespace(
        info=SimpleNamespace(name=name),
        data=SimpleNamespace(node_info=SimpleNamespace(unique_id=node)),
    )


def test_the_balancer_follows_the_nodes_running() -> None:
    """Alone, a node gets every core; two at once share them; a third on two cores
    still gets one; other events change nothing; an unchanged count is not set again."""
    applied: list[int] = []
    balancer = CoreBalancer(2, lambda n: applied.append(n) is None)
    for name, node in [
        ("NodeStart", "a"),  # alone: 2
        ("NodeStart", "b"),  # two: 1
        ("NodeStart", "c"),  # three: still 1
        ("MainReportVersion", "x"),
        ("NodeFinished", "c"),
        ("NodeFinished", "a"),  # b alone: 2
        ("NodeFinished", "b"),  # none running: left as it is
        ("NodeStart", "d"),  # alone again: already 2
    ]:
        balancer(_event(name, node))
    assert applied == [2, 1, 2]
    assert balancer.applied == [2, 1, 2]


def test_the_balancer_retries_until_the_database_is_open() -> None:
    """Before dbt opens DuckDB the count cannot be set: the next event tries again."""
    open_after = 2
    calls: list[int] = []

    def set_threads(count: int) -> bool:
        calls.append(count)
        return len(calls) > open_after

    balancer = CoreBalancer(4, set_threads)
    for name, node in [("NodeStart", "a"), ("NodeStart", "b"), ("NodeStart", "c")]:
        balancer(_event(name, node))
    assert calls == [4, 2, 1]
    assert balancer.applied == [1]
