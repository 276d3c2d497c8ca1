"""The build's scratch database: where `gtm build` puts what only the build reads.

Landing views, the staging tables rebuilt every time and most intermediate tables
go to an in-memory DuckDB database attached under SCRATCH_DATABASE (profiles.yml,
dbt_project.yml): never compressed into the file, never published. Memory is the
cost: beyond DuckDB's memory_limit those tables spill, uncompressed, to its
temporary directory. `ScratchReleaser` keeps that small by dropping each scratch
table as soon as every node that reads it (models and data tests, directly or
through views) has finished.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

# `gtm build --keep-intermediate` leaves the variable empty: every layer goes to the
# file and is published, to inspect how a figure came about.
SCRATCH_DATABASE_ENV = "GTM_SCRATCH_DATABASE"
SCRATCH_DATABASE = "scratch"

# The nodes `dbt build` runs against the data (unit tests read fixtures only).
_DATA_NODE_TYPES = frozenset({"model", "test", "seed", "snapshot"})


@contextmanager
def scratch_database(scratch: bool) -> Iterator[None]:
    """SCRATCH_DATABASE_ENV for this build's dbt runs only: set to SCRATCH_DATABASE
    (or empty: every layer in the file), then as it was. Left set, it would reach
    other dbt or MetricFlow processes this one starts later, and a read-only
    connection cannot attach the in-memory database."""
    before = os.environ.get(SCRATCH_DATABASE_ENV)
    os.environ[SCRATCH_DATABASE_ENV] = SCRATCH_DATABASE if scratch else ""
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(SCRATCH_DATABASE_ENV, None)
        else:
            os.environ[SCRATCH_DATABASE_ENV] = before


def _is_view(node: Any) -> bool:
    return node.resource_type == "model" and node.config.materialized in ("view", "ephemeral")


def scratch_tables_read(nodes: Mapping[str, Any]) -> dict[str, set[str]]:
    """For each node `dbt build` runs, the scratch tables it reads: its parents,
    and through a parent view (or ephemeral model) that view's own, recursively.
    A view reads its tables when it is queried, not when it is created, so a view
    never counts as a reader itself; the nodes that query it do."""
    scratch_tables = {
        unique_id
        for unique_id, node in nodes.items()
        if node.resource_type == "model"
        and node.database == SCRATCH_DATABASE
        and node.config.materialized == "table"
    }
    through_views: dict[str, set[str]] = {}

    def tables_behind(unique_id: str) -> set[str]:
        if unique_id not in through_views:
            through_views[unique_id] = set()  # a cycle cannot occur in dbt's graph
            tables: set[str] = set()
            for parent in getattr(nodes[unique_id].depends_on, "nodes", ()):
                if parent in scratch_tables:
                    tables.add(parent)
                elif parent in nodes and _is_view(nodes[parent]):
                    tables |= tables_behind(parent)
            through_views[unique_id] = tables
        return through_views[unique_id]

    return {
        unique_id: tables_behind(unique_id)
        for unique_id, node in nodes.items()
        if node.resource_type in _DATA_NODE_TYPES and not _is_view(node)
    }


class ScratchReleaser:
    """A dbt callback: on each finished node, count its scratch tables' readers down
    and drop a table (`drop(relation_name)`) when it is built and none is left.

    A node that never finishes (skipped after a failure, or not selected) keeps
    its tables until the build's database closes: nothing is dropped early.
    """

    def __init__(self, nodes: Mapping[str, Any], drop: Callable[[str], None]) -> None:
        self._reads = scratch_tables_read(nodes)
        self._relations = {
            table: nodes[table].relation_name for tables in self._reads.values() for table in tables
        }
        self._readers_left: dict[str, int] = dict.fromkeys(self._relations, 0)
        for tables in self._reads.values():
            for table in tables:
                self._readers_left[table] += 1
        self._built: set[str] = set()
        self._drop = drop
        self._lock = threading.Lock()
        self.dropped: list[str] = []

    def __call__(self, event: Any) -> None:
        if event.info.name != "NodeFinished":
            return
        finished = event.data.node_info.unique_id
        with self._lock:
            releasable = []
            if finished in self._readers_left:
                self._built.add(finished)
                releasable.append(finished)
            for table in self._reads.get(finished, ()):
                self._readers_left[table] -= 1
                releasable.append(table)
            due = [
                table
                for table in releasable
                if table in self._built and self._readers_left[table] == 0
            ]
            for table in due:
                del self._readers_left[table]
        for table in due:
            self._drop(self._relations[table])
            self.dropped.append(table)
