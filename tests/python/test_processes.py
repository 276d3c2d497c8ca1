"""How `gtm build` shares the cores among dbt's threads: DuckDB's threads per query are
the usable cores divided by the nodes dbt runs at once (at least one), an explicit
GTM_DUCKDB_THREADS wins, and the build's dbt runs see the value; while fewer nodes
run, CoreSharer gives them the idle cores."""

from __future__ import annotations

import os
import time
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
    CoreSharer,
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
    with shared_cores(4) as share:
        assert os.environ[DUCKDB_THREADS_ENV] == "4"
        assert share == 4
    assert DUCKDB_THREADS_ENV not in os.environ


def test_an_explicit_duckdb_threads_setting_wins(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setattr(processes, "usable_cores", lambda: 16)
    clean_env.setenv(DUCKDB_THREADS_ENV, "3")
    with shared_cores(2) as share:
        assert os.environ[DUCKDB_THREADS_ENV] == "3"
        assert share is None  # nothing may change the threads the environment set
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


def _event(name: str) -> Any:
    return SimpleNamespace(info=SimpleNamespace(name=name))


def _settled(sharer: CoreSharer, count: int, timeout: float = 5.0) -> list[int]:
    """The counts the sharer applied, once it applied `count` of them (or the time ran out)."""
    deadline = time.monotonic() + timeout
    while len(sharer.applied) < count and time.monotonic() < deadline:
        time.sleep(0.01)
    return list(sharer.applied)


def test_a_node_alone_gets_every_core_and_two_share_them() -> None:
    """4 cores, 2 dbt threads (a share of 2): alone -> 4, two running -> 2, alone -> 4."""
    applied: list[int] = []
    with CoreSharer(4, 2, applied.append, settle=0.01) as sharer:
        sharer(_event("NodeStart"))
        assert _settled(sharer, 1) == [4]
        sharer(_event("NodeStart"))
        assert _settled(sharer, 2) == [4, 2]
        sharer(_event("NodeFinished"))
        assert _settled(sharer, 3) == [4, 2, 4]
    assert applied == [4, 2, 4]


def test_more_nodes_than_cores_never_go_below_the_share() -> None:
    applied: list[int] = []
    with CoreSharer(2, 1, applied.append, settle=0.01) as sharer:
        for _ in range(3):
            sharer(_event("NodeStart"))
        time.sleep(0.2)
    assert applied == []  # 2 // 3 is 0: the share (1) stands, as it was


def test_a_finish_followed_at_once_by_a_start_changes_nothing() -> None:
    """dbt starts the next node right after one finishes: within `settle` the latest
    wish wins, and it is what was applied already."""
    applied: list[int] = []
    with CoreSharer(2, 1, applied.append, settle=0.2) as sharer:
        sharer(_event("NodeStart"))
        sharer(_event("NodeStart"))
        assert _settled(sharer, 1, timeout=0.5) == []
        sharer(_event("NodeFinished"))
        sharer(_event("NodeStart"))
        time.sleep(0.5)
    assert applied == []


def test_other_events_are_ignored_and_a_failed_apply_waits_for_the_next_event() -> None:
    calls: list[int] = []

    def apply(count: int) -> None:
        calls.append(count)
        if len(calls) == 1:
            raise RuntimeError("no database open yet")

    with CoreSharer(2, 1, apply, settle=0.01) as sharer:
        sharer(_event("LogStartLine"))
        sharer(_event("NodeStart"))
        time.sleep(0.2)
        assert calls == [2]  # failed once, not retried in a loop
        assert sharer.applied == []
        sharer(_event("NodeExecuting"))  # not a start or finish: still nothing
        time.sleep(0.1)
        assert calls == [2]
        sharer(_event("NodeStart"))
        sharer(_event("NodeFinished"))  # alone again: 2 is wished again
        assert _settled(sharer, 1) == [2]
    assert calls == [2, 2]
    assert not sharer._thread.is_alive()


@pytest.mark.parametrize(
    ("cores", "share", "expected"), [(2, 1, True), (2, 2, False), (2, None, False)]
)
def test_the_build_shares_cores_only_when_it_chose_the_share(
    monkeypatch: pytest.MonkeyPatch, cores: int, share: int | None, expected: bool
) -> None:
    """No sharer when the environment set DuckDB's threads (share None) or when a node
    already gets every core."""
    monkeypatch.setattr(build_module, "usable_cores", lambda: cores)
    assert (build_module._core_sharer(share) is not None) is expected
