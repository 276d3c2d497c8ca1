"""Process helpers shared by the build, the bench and the export: whether a process
still runs, and how many cores this one may use and how DuckDB shares them."""

from __future__ import annotations

import os
import threading
import time
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
def shared_cores(threads: int | None) -> Iterator[int | None]:
    """GTM_DUCKDB_THREADS for the dbt runs inside: `duckdb_threads_per_query(threads)`,
    unless the environment already says; then as it was. Yields the share it set
    (None: the environment's value stands, and nothing should change it)."""
    if os.environ.get(DUCKDB_THREADS_ENV):
        yield None
        return
    share = duckdb_threads_per_query(threads)
    os.environ[DUCKDB_THREADS_ENV] = str(share)
    try:
        yield share
    finally:
        os.environ.pop(DUCKDB_THREADS_ENV, None)


class CoreSharer:
    """A dbt callback that hands DuckDB's worker threads to the nodes running now.

    `shared_cores` gives each query its share of the cores for when dbt runs as many
    nodes as it has threads. When fewer run (one node alone: the first intermediate
    model that waits for every staging table, the last attribution models), that
    share leaves cores idle. On every node start and finish this counts the nodes
    running and asks for `cores // running` threads (at least `floor`, the share).
    DuckDB's `threads` setting belongs to the whole database instance, and changing
    it stops or starts background threads, so a separate thread applies the latest
    wish after `settle` seconds: a node that finishes just before the next starts
    changes nothing. A query keeps the threads its running pipeline was given; its
    next pipelines get the new count.

    Use it as a context manager around the dbt invocation: leaving stops the thread
    before the database closes. `apply(n)` runs `SET threads = n` on the build's
    database; an error there (no database open yet) leaves the wish pending.
    """

    def __init__(
        self,
        cores: int,
        floor: int,
        apply: Callable[[int], None],
        settle: float = 0.05,
    ) -> None:
        self._cores = max(1, cores)
        self._floor = max(1, floor)
        self._apply = apply
        self._settle = settle
        self._running = 0
        self._events = 0
        self._wanted = self._floor
        self._applied = self._floor
        self._changed = threading.Condition()
        self._stopping = False
        self._thread = threading.Thread(target=self._apply_forever, name="core-sharer")
        self.applied: list[int] = []  # the counts set, in order (for the tests and logs)

    def __call__(self, event: Any) -> None:
        name = event.info.name
        if name not in ("NodeStart", "NodeFinished"):
            return
        with self._changed:
            self._running = max(0, self._running + (1 if name == "NodeStart" else -1))
            self._wanted = max(self._floor, self._cores // max(1, self._running))
            self._events += 1
            self._changed.notify()

    def __enter__(self) -> CoreSharer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        with self._changed:
            self._stopping = True
            self._changed.notify()
        self._thread.join()

    def _apply_forever(self) -> None:
        failed_at = -1  # the event count when applying last failed
        while True:
            with self._changed:
                while not self._stopping and (
                    self._wanted == self._applied or self._events == failed_at
                ):
                    self._changed.wait()
                if self._stopping:
                    return
            time.sleep(self._settle)  # a burst of starts and finishes: the latest wins
            with self._changed:
                if self._stopping:
                    return
                wanted, events = self._wanted, self._events
                if wanted == self._applied:
                    continue
            try:
                self._apply(wanted)
            except Exception:  # noqa: BLE001 - no database open yet: again at the next event
                failed_at = events
                continue
            with self._changed:
                self._applied = wanted
                self.applied.append(wanted)
