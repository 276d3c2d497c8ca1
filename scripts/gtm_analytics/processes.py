"""Process helpers shared by the build, the bench and the export: whether a process
still runs, and how many cores this one may use and how DuckDB shares them."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

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
def shared_cores(threads: int | None) -> Iterator[None]:
    """GTM_DUCKDB_THREADS for the dbt runs inside: `duckdb_threads_per_query(threads)`,
    unless the environment already says; then as it was."""
    if os.environ.get(DUCKDB_THREADS_ENV):
        yield
        return
    os.environ[DUCKDB_THREADS_ENV] = str(duckdb_threads_per_query(threads))
    try:
        yield
    finally:
        os.environ.pop(DUCKDB_THREADS_ENV, None)
