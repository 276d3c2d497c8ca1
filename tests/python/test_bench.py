"""`gtm bench`: the report's shape on a tiny run, the dbt time split, per-node times by
layer, the headline and goals, the package's layout, and the pandas alternative giving
the marts' figures.

One `gtm bench` at scale 0.01 runs a full build (about a minute on a two-core machine),
the plain-DuckDB floor and the pandas script, and checks both output files; the heavier
scenarios (memory limit, incremental, raw SQL, PostgreSQL) are not run here. Nothing
here checks a speed: the goals live in the bench's output.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from conftest import PROJECT_DIR, Run
from gtm_analytics.bench.checks import compare_pandas_with_mart
from gtm_analytics.bench.goals import evaluate_goals, headline
from gtm_analytics.bench.jobs import topological
from gtm_analytics.bench.markdown import render_markdown
from gtm_analytics.bench.timings import _busy_time, breakdown, layer_summary, slowest_nodes

HEAVY = "memory,incremental,raw_sql,postgres"
BENCH_PACKAGE = PROJECT_DIR / "scripts" / "gtm_analytics" / "bench"


def _pandas_module():
    path = PROJECT_DIR / "benchmarks" / "pandas_sequence_metrics.py"
    spec = importlib.util.spec_from_file_location("pandas_sequence_metrics", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bench_writes_json_and_markdown(gtm: Callable[..., Run], tmp_path: Path) -> None:
    pytest.importorskip("pandas")
    out = tmp_path / "out"
    result = gtm(
        "bench",
        "--scales",
        "0.01",
        "--runs",
        "1",
        "--skip",
        HEAVY,
        "--out",
        str(out),
        "--work",
        str(tmp_path / "work"),
    )
    assert result.returncode == 0, result.output
    report = json.loads((out / "bench.json").read_text())

    machine = report["machine"]
    assert machine["cores"] >= 1 and machine["usable_cores"] >= 1
    assert machine["memory_bytes"] > 0
    assert {"duckdb", "dbt-core", "pandas"} <= set(machine["versions"])
    assert len(report["load_before"]) == 3 and len(report["load_after"]) == 3
    assert report["settings"]["scales"] == [0.01]

    assert report["settings"]["docs"] is True and report["settings"]["floor_threads"] == 2

    roles = {entry.get("role"): entry for entry in report["measurements"]}
    names = [entry["name"] for entry in report["measurements"]]
    assert any(name.startswith("generate") for name in names), names
    assert {"full", "floor", "pandas"} <= set(roles), names
    assert not {"memory", "incremental", "raw_sql", "postgres"} & set(roles), names
    for entry in report["measurements"]:
        assert entry["ok"], entry
        assert len(entry["runs"]) == 1
        run = entry["runs"][0]
        # Every run, whatever it measures, has its wall, CPU and peak RSS.
        assert run["wall_s"] > 0 and run["cpu_s"] > 0 and run["peak_rss_bytes"] > 0
        assert entry["summary"]["wall_s"]["median"] == run["wall_s"]

    # The full build: dbt's split of its time, its docs page, every node's seconds.
    full = roles["full"]
    build = full["runs"][0]
    assert build["nodes"] == len(build["node_seconds"]) > 100
    assert build["docs_s"] > 0 and build["published_bytes"] > 0
    assert "model.gtm_analytics.stg_hubspot__email_events" in build["node_seconds"]
    layers = build["layers"]
    assert {"staging", "intermediate", "marts", "audit", "tests"} <= set(layers), layers
    assert sum(layer["nodes"] for layer in layers.values()) == build["nodes"]
    assert layers["marts"]["nodes"] >= 20
    assert layers["tests"]["slowest"].startswith(("test.", "unit_test."))
    # models/staging holds the typed stg_ tables and the base_ landing views.
    assert layers["staging"]["slowest"].split(".")[-1].startswith(("stg_", "base_"))
    assert layers["intermediate"]["slowest"].split(".")[-1].startswith("int_")
    assert full["slowest_nodes"] and report["slowest_nodes"]["0.01"] == full["slowest_nodes"]
    for node in full["slowest_nodes"]:
        assert node["seconds"] == build["node_seconds"][node["node"]]
        assert node["layer"] in layers

    # The floor beside it: every raw table loaded (23, campaign_spend included).
    floor = roles["floor"]["runs"][0]
    assert floor["tables"] == 23 and floor["rows"] > 0 and floor["load_s"] > 0
    [row] = report["headline"]
    assert row["scale"] == 0.01 and row["build_ok"] is True and row["default_build"] is True
    assert row["build_wall_s"] == build["wall_s"]
    assert row["build_peak_rss_bytes"] == build["peak_rss_bytes"]
    assert row["floor_load_s"] == floor["load_s"]
    assert row["build_over_floor"] == round(build["wall_s"] / floor["load_s"], 2)
    assert row["published_bytes"] == build["published_bytes"]
    assert row["raw_bytes"] > 0
    assert roles["pandas"]["check"]["equal"], roles["pandas"]["check"]

    goals = {goal["goal"]: goal for goal in report["goals"]}
    assert goals["full build at scale 10"]["met"] is None  # not measured here
    scale_goals = [goal for goal in report["goals"] if goal["source"] == "scale issue"]
    assert len(scale_goals) == 2 and all(goal["met"] is None for goal in scale_goals)

    markdown = (out / "bench.md").read_text()
    assert "| measurement | scale | runs | wall (median)" in markdown
    assert machine["cpu_model"] in markdown
    for section in ("## Headline", "## Every run", "## Time by layer", "## Slowest nodes"):
        assert section in markdown
    every_run = markdown.split("## Every run")[1].split("##")[0]
    assert every_run.count("| ok |") == len(report["measurements"])
    assert full["slowest_nodes"][0]["node"] in markdown


def test_bench_rejects_an_unknown_measurement(gtm: Callable[..., Run], tmp_path: Path) -> None:
    result = gtm("bench", "--scales", "0.01", "--skip", "spark", "--out", str(tmp_path))
    assert result.returncode == 1
    assert "unknown --skip spark" in result.output


def test_busy_time_gives_overlaps_to_models_first() -> None:
    # A model 0-4 s, a test 3-6 s beside it, idle 6-7 s, a unit test 7-8 s.
    intervals = [(0.0, 4.0, "models"), (3.0, 6.0, "tests"), (7.0, 8.0, "tests")]
    spent = _busy_time(intervals, 0.0, 10.0)
    assert spent == {"models": 4.0, "tests": 3.0, "other": 3.0}


def test_breakdown_sums_to_the_invoke() -> None:
    child = {
        "call_s": 15.0,
        "invokes": [
            {
                "start": 100.0,
                "end": 110.0,
                "events": {
                    "FoundStats": 103.0,
                    "ConcurrencyLine": 103.5,
                    "PartialParsingEnabled": 101,
                },
            },
            # The docs page: its own invoke after the build's, not part of gtm's own time.
            {"args": ["docs"], "start": 111.0, "end": 114.0, "events": {}},
        ],
    }
    run_results = {
        "results": [
            {
                "unique_id": "model.p.a",
                "execution_time": 3.0,
                "timing": [
                    {"started_at": "1970-01-01T00:01:44Z", "completed_at": "1970-01-01T00:01:47Z"}
                ],
            },
            {
                "unique_id": "test.p.t",
                "execution_time": 2.0,
                "timing": [
                    {"started_at": "1970-01-01T00:01:47Z", "completed_at": "1970-01-01T00:01:49Z"}
                ],
            },
        ]
    }
    split = breakdown(child, run_results)
    assert split["parse_s"] == 3.0 and split["models_s"] == 3.0 and split["tests_s"] == 2.0
    assert split["dbt_other_s"] == pytest.approx(2.0)
    assert split["docs_s"] == pytest.approx(3.0)
    assert split["gtm_s"] == pytest.approx(2.0)
    assert split["full_parse"] is False


def test_models_are_ordered_after_what_they_read() -> None:
    nodes = {
        "model.p.c": {"depends_on": {"nodes": ["model.p.b", "source.p.x"]}},
        "model.p.b": {"depends_on": {"nodes": ["model.p.a"]}},
        "model.p.a": {"depends_on": {"nodes": []}},
    }
    assert topological(nodes) == ["model.p.a", "model.p.b", "model.p.c"]


def test_node_times_are_grouped_by_layer() -> None:
    layers = {
        "model.p.stg_a": "staging",
        "model.p.stg_b": "staging",
        "model.p.int_a": "intermediate",
        "model.p.mart": "marts",
        "model.p.spine": "semantic",
    }
    seconds = {
        "model.p.stg_a": 1.0,
        "model.p.stg_b": 4.0,
        "model.p.int_a": 2.5,
        "model.p.mart": 0.5,
        "seed.p.s": 0.25,
        "test.p.unique_a": 3.0,
        "unit_test.p.mart.u": 0.75,
        "model.p.unknown": 0.125,
        "operation.p.on-run-start-0": 0.0625,
        "model.p.spine": 0.03125,
    }
    summary = layer_summary(seconds, layers)
    assert list(summary) == [
        "seeds",
        "staging",
        "intermediate",
        "marts",
        "semantic",
        "tests",
        "other",
    ]
    assert summary["staging"] == {
        "nodes": 2,
        "seconds": 5.0,
        "slowest": "model.p.stg_b",
        "slowest_s": 4.0,
    }
    assert summary["tests"]["nodes"] == 2 and summary["tests"]["seconds"] == 3.75
    assert summary["other"]["nodes"] == 2 and summary["other"]["slowest"] == "model.p.unknown"

    slowest = slowest_nodes(seconds, layers, count=2)
    assert [(node["node"], node["layer"]) for node in slowest] == [
        ("model.p.stg_b", "staging"),
        ("model.p.int_a", "intermediate"),
        ("test.p.unique_a", "tests"),
        ("unit_test.p.mart.u", "tests"),
    ]


def _entry(role: str, scale: float, runs: list[dict], **extra: object) -> dict:
    """A measurement as bench.json holds it, with the summary the runner would compute."""
    ok = [run for run in runs if run["ok"]]
    summary = {
        key: {"median": sorted(run[key] for run in ok)[len(ok) // 2]}
        for key in ("wall_s", "load_s", "docs_s", "published_bytes")
        if ok and key in ok[0]
    }
    return {
        "name": role,
        "role": role,
        "scale": scale,
        "runs": runs,
        "summary": summary,
        "ok": all(run["ok"] for run in runs),
        **extra,
    }


def _report(build_wall: float, build_rss: int, usable_cores: int) -> dict:
    gib = 1024**3
    build = {
        "ok": True,
        "wall_s": build_wall,
        "cpu_s": 1.0,
        "peak_rss_bytes": build_rss,
        "docs_s": 5.0,
        "published_bytes": 3 * gib,
        "layers": {
            "staging": {"nodes": 3, "seconds": 20.0, "slowest": "model.p.a", "slowest_s": 9.0},
            "tests": {"nodes": 5, "seconds": 7.5, "slowest": "test.p.t", "slowest_s": 2.0},
        },
    }
    floor = {"ok": True, "wall_s": 12.0, "cpu_s": 1.0, "peak_rss_bytes": gib, "load_s": 10.0}
    return {
        "machine": {"usable_cores": usable_cores, "cores": 16, "versions": {}},
        "settings": {"docs": True, "dbt_threads": None},
        "measurements": [
            _entry(
                "full",
                10.0,
                [build],
                raw_bytes=gib,
                slowest_nodes=[{"node": "model.p.a", "seconds": 9.0, "layer": "staging"}],
            ),
            _entry("floor", 10.0, [floor], raw_bytes=gib),
            _entry("raw_sql", 10.0, [{"ok": True, "wall_s": 20.0, "peak_rss_bytes": 1}]),
        ],
    }


def test_headline_and_goals_read_the_measurements() -> None:
    gib = 1024**3
    report = _report(build_wall=45.0, build_rss=5 * gib, usable_cores=2)
    [row] = headline(report)
    assert row["build_wall_s"] == 45.0 and row["floor_load_s"] == 10.0
    assert row["build_over_floor"] == 4.5 and row["build_peak_rss_bytes"] == 5 * gib
    assert row["published_bytes"] == 3 * gib and row["raw_bytes"] == gib
    goals = {goal["goal"]: goal for goal in evaluate_goals(report)}
    wall = goals["full default gtm build at scale 10 on 2 cores: wall"]
    rss = goals["full default gtm build at scale 10 on 2 cores: peak RSS"]
    assert wall["met"] is True and "floor 10.0 s" in wall["measured"]
    assert rss["met"] is True
    assert goals["full build at scale 10"]["met"] is False  # issue 6: <= 20 s
    # dbt against the raw SQL: the docs page (5 s) aside, 40 s / 20 s.
    assert goals["dbt wall (docs page aside) / raw-SQL wall (scale 10)"]["measured"].startswith(
        "2.00"
    )

    over = {goal["goal"]: goal for goal in evaluate_goals(_report(61.0, 7 * gib, 2))}
    assert over["full default gtm build at scale 10 on 2 cores: wall"]["met"] is False
    assert over["full default gtm build at scale 10 on 2 cores: peak RSS"]["met"] is False

    # Measured on another number of cores: reported, but not held against the goal.
    other = {goal["goal"]: goal for goal in evaluate_goals(_report(45.0, 5 * gib, 16))}
    assert other["full default gtm build at scale 10 on 2 cores: wall"]["met"] is None
    assert (
        "16 usable cores"
        in other["full default gtm build at scale 10 on 2 cores: wall"]["measured"]
    )


def test_incremental_share_is_held_to_both_issues_goals() -> None:
    """20 % of the full build meets the scale issue's 30 % and misses issue 6's 15 %."""
    report = _report(build_wall=50.0, build_rss=1024**3, usable_cores=2)
    incremental = {"ok": True, "wall_s": 10.0, "peak_rss_bytes": 1}
    report["measurements"].append(_entry("incremental", 10.0, [incremental]))
    by_source = {
        goal["source"]: goal
        for goal in evaluate_goals(report)
        if goal["goal"].startswith("incremental build after 1 % new events")
    }
    assert by_source["scale issue"]["target"] == "<= 30% of the full build"
    assert by_source["scale issue"]["met"] is True
    assert by_source["issue 6"]["met"] is False
    assert by_source["scale issue"]["measured"].startswith("20% (10.0 s vs 50.0 s)")


def test_markdown_shows_the_headline_every_run_and_the_layers() -> None:
    report = _report(build_wall=45.0, build_rss=5 * 1024**3, usable_cores=2)
    report.update(started_at="2026-01-01T00:00:00+00:00", goals=evaluate_goals(report))
    markdown = render_markdown(report)
    headline_rows = markdown.split("## Headline")[1].split("\n## ")[0]
    assert "| 10 | default `gtm build` | 45.0 s | 5.00 GiB | 3.00 GiB | 1.00 GiB | 10.0 s " in (
        headline_rows
    )
    assert "| 4.5 x |" in headline_rows
    layers = markdown.split("## Time by layer")[1].split("\n## ")[0]
    assert "| measurement | scale | staging | tests |" in layers
    assert "| full | 10 | 20.0 s (3) | 7.50 s (5) |" in layers
    assert "| model.p.a | staging | 9.00 |" in markdown
    every_run = markdown.split("## Every run")[1].split("\n## ")[0]
    assert every_run.count("| ok |") == 3


def _bench_modules() -> dict[str, ast.Module]:
    return {
        path.stem: ast.parse(path.read_text(), filename=str(path))
        for path in sorted(BENCH_PACKAGE.glob("*.py"))
    }


def test_bench_package_is_acyclic_with_one_error_type() -> None:
    """Each module imports only modules that do not import it back (directly or not);
    failures are the project's GtmError, and no module patches duckdb.connect."""
    modules = _bench_modules()
    assert {"measure", "jobs", "runner", "goals", "markdown", "timings"} <= set(modules)
    imports: dict[str, set[str]] = {}
    for name, tree in modules.items():
        found = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                parts = node.module.split(".")
                if parts[:2] == ["gtm_analytics", "bench"] and len(parts) == 3:
                    found.add(parts[2])
                elif node.module == "gtm_analytics.bench":
                    found.update(alias.name for alias in node.names if alias.name in modules)
        imports[name] = found - {name}
    # The children never load the parent's side, and the parent never imports the jobs.
    assert not imports["jobs"], imports["jobs"]
    assert "jobs" not in imports["runner"]
    remaining = {name: set(deps) for name, deps in imports.items()}
    while remaining:
        ready = [name for name, deps in remaining.items() if not deps]
        assert ready, f"import cycle among {sorted(remaining)}: {remaining}"
        for name in ready:
            del remaining[name]
        for deps in remaining.values():
            deps.difference_update(ready)

    for name, tree in modules.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                bases = {getattr(base, "id", getattr(base, "attr", "")) for base in node.bases}
                assert not {"Exception", "BaseException", "GtmError"} & bases, (name, node.name)
            if isinstance(node, ast.Raise) and node.exc is not None:
                raised = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
                assert getattr(raised, "id", None) == "GtmError", (name, ast.unparse(node))
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    assert not (isinstance(target, ast.Attribute) and target.attr == "connect"), (
                        name,
                        ast.unparse(node),
                    )


_THREADS_SCRIPT = """
import json, os, sys
from dbt.cli.main import dbtRunner

previews = []

def keep(event):
    if event.info.name == "ShowNode":
        previews.append(event.data.preview)

sql = "select current_setting('threads') as threads"
for value in sys.argv[1:]:
    if value == "unset":
        os.environ.pop("GTM_DUCKDB_THREADS", None)
    else:
        os.environ["GTM_DUCKDB_THREADS"] = value
    result = dbtRunner(callbacks=[keep]).invoke(
        ["show", "--inline-direct", sql, "--output", "json", "--log-level", "none"]
    )
    assert result.success, result.exception
print(json.dumps([json.loads(preview)[0]["threads"] for preview in previews]))
"""


def test_profile_takes_duckdb_threads_from_the_environment(tmp_path: Path) -> None:
    """GTM_DUCKDB_THREADS sets DuckDB's threads on dbt's connections (how `gtm bench`
    pins them); unset, DuckDB keeps its own default."""
    env = {
        **os.environ,
        "GTM_DUCKDB_PATH": str(tmp_path / "threads.duckdb"),
        "DBT_TARGET_PATH": str(tmp_path / "target"),
        "DBT_LOG_PATH": str(tmp_path / "logs"),
    }
    completed = subprocess.run(
        [sys.executable, "-c", _THREADS_SCRIPT, "3", "unset"],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    default = duckdb.connect().execute("select current_setting('threads')").fetchall()[0][0]
    assert json.loads(completed.stdout.strip().splitlines()[-1]) == [3, default]


def test_pandas_script_equals_the_marts(
    demo_warehouse: Path, raw_parquet_dir: Path, tmp_path: Path
) -> None:
    """The committed seeds are the generator's demo output, so the demo warehouse holds the
    marts of the same data as the Parquet directory the script reads."""
    pytest.importorskip("pandas")
    out = tmp_path / "metrics.parquet"
    _pandas_module().sequence_metrics(raw_parquet_dir).to_parquet(out, index=False)
    check = compare_pandas_with_mart(out, demo_warehouse)
    assert check["rows"] > 0
    assert check["equal"], check


def test_pandas_script_runs_from_the_command_line(raw_parquet_dir: Path, tmp_path: Path) -> None:
    pytest.importorskip("pandas")
    import subprocess

    out = tmp_path / "metrics.csv"
    completed = subprocess.run(
        [
            sys.executable,
            str(PROJECT_DIR / "benchmarks" / "pandas_sequence_metrics.py"),
            str(raw_parquet_dir),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    header = out.read_text().splitlines()[0]
    assert header.startswith("sequence_id,sequence_name,total_enrollments,emails_sent")
