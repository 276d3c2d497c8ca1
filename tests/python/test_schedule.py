"""The build's node order: among ready nodes, dbt starts first the one with the most
work behind it (tables weigh 1, views and tests 0.1), and only inside the build."""

from __future__ import annotations

import threading
from types import SimpleNamespace
from typing import Any

import networkx as nx
from dbt.graph.queue import GraphQueue

from gtm_analytics.schedule import chain_scores, longest_chain_first


def _model(materialized: str) -> Any:
    return SimpleNamespace(resource_type="model", config=SimpleNamespace(materialized=materialized))


def _test() -> Any:
    return SimpleNamespace(resource_type="test", config=SimpleNamespace(materialized="test"))


def _graph() -> tuple[nx.DiGraph, dict[str, Any]]:
    """A deep chain (steps -> journeys -> paths, each with a test) beside a short one
    (a mart and its test) and a view; both chains start ready."""
    graph = nx.DiGraph()
    graph.add_edges_from(
        [
            ("steps", "steps_test"),
            ("steps_test", "journeys"),
            ("journeys", "paths"),
            ("paths", "paths_test"),
            ("mart", "mart_test"),
            ("view", "view_test"),
        ]
    )
    nodes = {
        "steps": _model("table"),
        "steps_test": _test(),
        "journeys": _model("table"),
        "paths": _model("incremental"),
        "paths_test": _test(),
        "mart": _model("table"),
        "mart_test": _test(),
        "view": _model("view"),
        "view_test": _test(),
    }
    return graph, nodes


def test_the_node_with_the_longest_chain_behind_it_starts_first() -> None:
    graph, nodes = _graph()
    scores = chain_scores(graph, nodes)
    assert scores["steps"] < scores["mart"] < scores["view"]
    assert scores["steps"] == -(1 + 0.1 + 1 + 1 + 0.1)
    assert scores["mart"] == -1.1
    assert scores["view"] == -0.2
    # a node outside the manifest's nodes (an exposure) weighs nothing
    graph.add_edge("paths_test", "exposure")
    assert chain_scores(graph, nodes)["steps"] == scores["steps"]


def _queue(graph: nx.DiGraph, nodes: dict[str, Any]) -> GraphQueue:
    manifest = SimpleNamespace(nodes=nodes, expect=nodes.__getitem__)
    return GraphQueue(graph, manifest, set(graph.nodes))  # type: ignore[arg-type]


def test_dbt_queues_built_inside_use_the_chain_scores_and_only_there() -> None:
    graph, nodes = _graph()
    original_scores, original_get = GraphQueue._get_scores, GraphQueue.get
    with longest_chain_first(2):
        queue = _queue(graph.copy(), nodes)
        assert queue._scores == chain_scores(graph, nodes)
        assert queue.get() is nodes["steps"]  # the longest chain, although all three are ready
    assert (GraphQueue._get_scores, GraphQueue.get) == (original_scores, original_get)
    assert _queue(graph.copy(), nodes)._scores["steps"] == 0  # dbt's own: the depth


def test_a_node_is_handed_out_only_when_a_thread_is_free() -> None:
    """With one slot, the second node waits until the first is done, and is then the
    best node ready at that moment (not the best when the first was taken)."""
    graph, nodes = _graph()
    handed: list[str] = []
    with longest_chain_first(1):
        queue = _queue(graph, nodes)
        first = queue.get()
        handed.append(_id(first, nodes))
        taker = threading.Thread(target=lambda: handed.append(_id(queue.get(), nodes)))
        taker.start()
        taker.join(timeout=0.3)
        assert taker.is_alive() and handed == ["steps"]  # waits: the one thread is busy
        queue.mark_done("steps")  # steps_test is ready now, behind it the rest of the chain
        taker.join(timeout=5)
    assert handed == ["steps", "steps_test"]


def _id(node: Any, nodes: dict[str, Any]) -> str:
    return next(unique_id for unique_id, candidate in nodes.items() if candidate is node)
