"""Process helpers shared by the build, the bench and the export: whether a process
still runs, and how many cores this one may use and how DuckDB shares them."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from gtm_analytics.errors import GtmError

# profiles.yml reads both: dbt's threads (nodes run at once, default 2) and DuckDB's
# worker threads on dbt's connections (unset: DuckDB's default, one per core).
DBT_THREADS_ENV = "GTM_THREADS"
DEFAULT_DBT_THREADS = 2
DUCKDB_THREADS_ENV = "GTM_DUCKDB_THREADS"


def pid_alive(pid: int) -> bool:
    """Whether a process with this id still runs (work files of dead ones are stale)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def usable_cores() -> int:
    """The cores this process may run on (fewer than the machine's under taskset)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def dbt_threads(threads: int | None) -> int:
    """The nodes dbt runs at once: `threads` (--threads), else GTM_THREADS, else 2."""
    if threads is not None:
        return threads
    value = os.environ.get(DBT_THREADS_ENV) or str(DEFAULT_DBT_THREADS)
    try:
        count = int(value)
    except ValueError:
        count = 0
    if count < 1:
        raise GtmError(f"{DBT_THREADS_ENV}={value!r}: dbt threads must be a whole number >= 1")
    return count


def duckdb_threads_per_query(threads: int | None) -> int:
    """DuckDB worker threads for each of dbt's queries: dbt runs `dbt_threads(threads)`
    nodes at once on one DuckDB instance, so each query gets its share of the usable
    cores, at least one. With DuckDB's default (a thread per core for every query), two
    nodes on two cores run four busy threads, which cost 8 % more CPU at scale 10
    (docs/benchmarks.md)."""
    return max(1, usable_cores() // dbt_threads(threads))


@contextmanager
def shared_cores(threads: int | None) -> Iterator[bool]:
    """GTM_DUCKDB_THREADS for the dbt runs inside: `duckdb_threads_per_query(threads)`,
    unless the environment already says; then as it was. Yields whether it set it (the
    build may then let a `CoreBalancer` follow the nodes running)."""
    if os.environ.get(DUCKDB_THREADS_ENV):
        yield False
        return
    os.environ[DUCKDB_THREADS_ENV] = str(duckdb_threads_per_query(threads))
    try:
        yield True
    finally:
        os.environ.pop(DUCKDB_THREADS_ENV, None)


class CoreBalancer:
    """A dbt callback: DuckDB's worker threads follow the number of nodes dbt runs at
    once, the usable cores shared among them (at least one each). A node that runs alone
    (the build's first landing views, a chain of models each waiting for the last) gets
    every core; two nodes on two cores get one thread each, as `duckdb_threads_per_query`.

    `set_threads(n)` applies a count to the build's DuckDB instance and says whether it
    could (False before dbt opened it). A count takes effect for the work a query
    schedules next, not for tasks already running.
    """

    def __init__(self, cores: int, set_threads: Callable[[int], bool]) -> None:
        self._cores = max(1, cores)
        self._set_threads = set_threads
        self._running: set[str] = set()
        self._applied: int | None = None
        self._lock = threading.Lock()
        self.applied: list[int] = []

    def __call__(self, event: Any) -> None:
        name = event.info.name
        if name not in ("NodeStart", "NodeFinished"):
            return
        node = event.data.node_info.unique_id
        with self._lock:
            if name == "NodeStart":
                self._running.add(node)
            else:
                self._running.discard(node)
            if not self._running:
                return  # between nodes: the next start decides
            threads = max(1, self._cores // len(self._running))
            if threads != self._applied and self._set_threads(threads):
                self._applied = threads
                self.applied.append(threads)
