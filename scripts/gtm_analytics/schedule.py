"""The order in which `gtm build` lets dbt start the nodes that are ready.

dbt starts ready nodes by their depth in the graph, shallowest first. A deep node
that heads a long chain (the data-driven attribution steps, then their marts, then
the paths) can then wait behind a row of short, shallow ones and end up running
alone at the end of the build, on one core. `longest_chain_first` makes dbt start,
each time one of its threads is free, the ready node with the longest chain of work
still behind it: a classic list-scheduling rule that keeps both cores busy until
the end. Only the order of ready nodes changes; what runs, and what waits for what,
does not.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

# Work a node stands for, in units of "a table model": tables (and seeds, snapshots,
# incremental models) build data; views, ephemeral models and data tests are cheap
# next to them, but still links of a chain.
_TABLE_WEIGHT = 1.0
_LIGHT_WEIGHT = 0.1
_TABLE_MATERIALIZATIONS = frozenset({"table", "incremental", "seed", "snapshot"})


def _weight(node: Any) -> float:
    if node is None:
        return 0.0  # exposures, metrics and the like: nothing to run
    if getattr(node, "resource_type", None) == "test":
        return _LIGHT_WEIGHT
    materialized = getattr(getattr(node, "config", None), "materialized", None)
    return _TABLE_WEIGHT if materialized in _TABLE_MATERIALIZATIONS else _LIGHT_WEIGHT


def chain_scores(graph: Any, nodes: Mapping[str, Any]) -> dict[str, float]:
    """dbt's queue score of each node (lower starts first): minus the weight of the
    heaviest chain from the node to the end of the graph, the node included.

    `graph` is dbt's graph of the selected nodes (a networkx DiGraph, edges from
    parent to child); `nodes` the manifest's nodes by unique id."""
    import networkx as nx

    chain: dict[str, float] = {}
    for node in reversed(list(nx.topological_sort(graph))):
        behind = max((chain[child] for child in graph.successors(node)), default=0.0)
        chain[node] = _weight(nodes.get(node)) + behind
    return {node: -length for node, length in chain.items()}


@contextmanager
def longest_chain_first(slots: int) -> Iterator[None]:
    """Inside, dbt's graph queues score nodes by `chain_scores` and hand out a ready
    node only while fewer than `slots` (dbt's threads) are in progress; then as before.

    dbt takes every ready node off its queue at once and hands it to its thread
    pool, which runs them first come, first served: the scores would only order
    nodes that become ready at the same instant. Waiting for a free thread first
    lets the queue pick, each time a thread frees up, the best node ready then.

    dbt keeps both in GraphQueue (`_get_scores`, `get`, `in_progress`,
    `some_task_done`; dbt-core 1.11). A dbt without them keeps its own order: the
    build is the same, only possibly slower."""
    try:
        from dbt.graph.queue import GraphQueue
    except ImportError:
        yield
        return
    original_scores = getattr(GraphQueue, "_get_scores", None)
    original_get = getattr(GraphQueue, "get", None)
    if original_scores is None or original_get is None:
        yield
        return

    def scores(queue: Any, graph: Any) -> dict[str, float]:
        return chain_scores(graph, queue.manifest.nodes)

    def get(queue: Any, block: bool = True, timeout: float | None = None) -> Any:
        # dbt's one scheduling thread calls get(); nodes in progress only ever
        # finish meanwhile (mark_done, which notifies some_task_done)
        with queue.some_task_done:
            while len(queue.in_progress) >= slots:
                queue.some_task_done.wait()
        return original_get(queue, block, timeout)

    GraphQueue._get_scores = scores
    GraphQueue.get = get
    try:
        yield
    finally:
        GraphQueue._get_scores = original_scores
        GraphQueue.get = original_get
