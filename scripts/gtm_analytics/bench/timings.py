"""Where a build's time went, from dbt's artifacts (parent side).

* `breakdown`: a build's wall split into dbt parse, model execution, tests, the rest of
  dbt, docs and gtm's own work, from the child's record of dbt's events and the build's
  run_results.json;
* `node_seconds`, `layer_summary`, `slowest_nodes`: every node's execution time, summed
  by layer (the folder under models/: staging, intermediate, marts, audit, ...; seeds;
  tests, data and unit) and the slowest nodes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

# Layers in the order a build runs them; any other folder under models/ (semantic)
# follows, then the tests, then `other` (hooks, exposures).
LAYER_ORDER = ("seeds", "staging", "intermediate", "marts", "audit")
LAST_LAYERS = ("tests", "other")


def _epoch(stamp: str) -> float:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()


def _node_kind(unique_id: str) -> str:
    prefix = unique_id.split(".", 1)[0]
    if prefix in ("model", "seed", "snapshot"):
        return "models"
    if prefix in ("test", "unit_test"):
        return "tests"
    return "other"


def _busy_time(
    intervals: Sequence[tuple[float, float, str]], start: float, end: float
) -> dict[str, float]:
    """Split [start, end] among models (any model running), tests (no model, some test
    running) and other (neither: dbt between nodes, hooks, schema creation)."""
    points: list[tuple[float, int, str]] = []
    for begin, finish, kind in intervals:
        begin, finish = max(begin, start), min(finish, end)
        if finish > begin and kind in ("models", "tests"):
            points += [(begin, 1, kind), (finish, -1, kind)]
    points.sort()
    running = {"models": 0, "tests": 0}
    spent = {"models": 0.0, "tests": 0.0}
    previous = start
    for instant, change, kind in points:
        if running["models"]:
            spent["models"] += instant - previous
        elif running["tests"]:
            spent["tests"] += instant - previous
        running[kind] += change
        previous = instant
    spent["other"] = max(0.0, (end - start) - spent["models"] - spent["tests"])
    return spent


def breakdown(child: Mapping[str, Any], run_results: Mapping[str, Any] | None) -> dict[str, Any]:
    """Where the time of one build went, from the child's record of dbt's events and the
    build's run_results.json:

    * `parse_s`: from dbtRunner.invoke to dbt's "Found N models ..." line (project
      load, parsing or partial parsing, manifest written);
    * `models_s` / `tests_s`: the execution phase (first to last node) split by what ran:
      any model (or seed) running counts as model time, otherwise any data or unit test
      as test time;
    * `dbt_other_s`: the rest of dbt's build invoke (hooks, scheduling, writing artifacts);
    * `docs_s`: `dbt docs generate` (only when the build made the docs page);
    * `gtm_s`: the build function's own work outside dbt (publishing, audit reads);
    * plus the thread-seconds of each node kind (two threads overlap)."""
    invokes = child.get("invokes") or []
    if not invokes:
        return {}
    first = invokes[0]
    start, end, events = first["start"], first["end"], first["events"]
    exec_start = events.get("ConcurrencyLine") or events.get("FoundStats") or start
    exec_end = events.get("FinishedRunningStats") or end
    parse_end = events.get("FoundStats") or exec_start
    intervals: list[tuple[float, float, str]] = []
    thread_s = {"models": 0.0, "tests": 0.0, "other": 0.0}
    for node in (run_results or {}).get("results", []):
        timing = [t for t in node.get("timing", []) if t.get("started_at")]
        kind = _node_kind(node["unique_id"])
        thread_s[kind] += float(node.get("execution_time") or 0.0)
        if timing:
            intervals.append(
                (
                    min(_epoch(t["started_at"]) for t in timing),
                    max(_epoch(t["completed_at"]) for t in timing),
                    kind,
                )
            )
    if intervals:
        exec_start = min(exec_start, min(i[0] for i in intervals))
        exec_end = max(exec_end, max(i[1] for i in intervals))
    busy = _busy_time(intervals, exec_start, exec_end)
    invoke_s = end - start
    parse_s = max(0.0, parse_end - start)
    docs = [record["end"] - record["start"] for record in invokes if record.get("args") == ["docs"]]
    docs_s = sum(docs)
    result = {
        "parse_s": parse_s,
        "models_s": busy["models"],
        "tests_s": busy["tests"],
        "dbt_other_s": max(0.0, invoke_s - parse_s - busy["models"] - busy["tests"]),
        "gtm_s": max(0.0, float(child.get("call_s", invoke_s)) - invoke_s - docs_s),
        "dbt_invoke_s": invoke_s,
        "model_thread_s": thread_s["models"],
        "test_thread_s": thread_s["tests"],
        "full_parse": "UnableToPartialParse" in events or "PartialParsingEnabled" not in events,
        "nodes": len((run_results or {}).get("results", [])),
    }
    if docs:
        result["docs_s"] = docs_s
    return {
        key: round(value, 3) if isinstance(value, float) else value for key, value in result.items()
    }


# --------------------------------------------------------------------------- per node


def node_seconds(run_results: Mapping[str, Any]) -> dict[str, float]:
    """Every node's execution time in one dbt invocation, by unique id."""
    return {
        node["unique_id"]: round(float(node.get("execution_time") or 0.0), 3)
        for node in run_results.get("results", [])
    }


def manifest_layers(manifest: Path) -> dict[str, str]:
    """Unique id -> layer, for the models, seeds and snapshots of a manifest: the folder
    under models/ a model sits in (its fqn's second part)."""
    if not manifest.exists():
        return {}
    nodes = json.loads(manifest.read_text()).get("nodes", {})
    layers = {}
    for unique_id, node in nodes.items():
        fqn = node.get("fqn") or []
        if node.get("resource_type") == "model" and len(fqn) > 2:
            layers[unique_id] = fqn[1]
    return layers


def node_layer(unique_id: str, layers: Mapping[str, str]) -> str:
    """The layer of a node: tests (data and unit) and seeds by kind, models by folder,
    anything else (on-run-start hooks, exposures) `other`."""
    prefix = unique_id.split(".", 1)[0]
    if prefix in ("test", "unit_test"):
        return "tests"
    if prefix == "seed":
        return "seeds"
    return layers.get(unique_id, "other")


def layer_order(names: Sequence[str]) -> list[str]:
    """Layer names in build order: LAYER_ORDER, other model folders alphabetically, then
    LAST_LAYERS."""
    first = [name for name in LAYER_ORDER if name in names]
    last = [name for name in LAST_LAYERS if name in names]
    return first + sorted(set(names) - set(first) - set(last)) + last


def layer_summary(
    seconds: Mapping[str, float], layers: Mapping[str, str]
) -> dict[str, dict[str, Any]]:
    """Per layer: how many nodes ran, their summed execution time (thread-seconds: nodes
    on different threads overlap) and the slowest of them."""
    grouped: dict[str, dict[str, Any]] = {}
    for unique_id, value in seconds.items():
        layer = grouped.setdefault(
            node_layer(unique_id, layers),
            {"nodes": 0, "seconds": 0.0, "slowest": None, "slowest_s": 0.0},
        )
        layer["nodes"] += 1
        layer["seconds"] += value
        if layer["slowest"] is None or value > layer["slowest_s"]:
            layer["slowest"], layer["slowest_s"] = unique_id, value
    return {
        name: {**grouped[name], "seconds": round(grouped[name]["seconds"], 3)}
        for name in layer_order(list(grouped))
    }


def slowest_nodes(
    seconds: Mapping[str, float], layers: Mapping[str, str], count: int = 12
) -> list[dict[str, Any]]:
    """The `count` slowest models (and seeds) and the `count` slowest tests, each with
    its seconds and layer."""
    ranked = sorted(seconds.items(), key=lambda item: item[1], reverse=True)
    picked: list[dict[str, Any]] = []
    for kind in ("models", "tests"):
        picked += [
            {"node": unique_id, "seconds": value, "layer": node_layer(unique_id, layers)}
            for unique_id, value in ranked
            if _node_kind(unique_id) == kind
        ][:count]
    return picked
