"""The build's node order: among ready nodes, dbt starts first the one with the most
work behind it (tables weigh 1, views and tests 0.1), and only inside the build."""

from __future__ import annotations

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


def test_dbt_queues_built_inside_use_the_chain_scores_and_only_there() -> None:
    graph, nodes = _graph()
    manifest = SimpleNamespace(nodes=nodes)
    original = GraphQueue._get_scores
    with longest_chain_first():
        queue = SimpleNamespace(manifest=manifest)
        assert GraphQueue._get_scores(queue, graph) == chain_scores(graph, nodes)
    assert GraphQueue._get_scores is original
