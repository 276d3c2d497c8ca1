"""`gtm bench`: the report's shape on a tiny run, the dbt time split, and the pandas
alternative giving the marts' figures.

The builds themselves are not run here (a build of even the smallest data takes about a
minute on a two-core machine); `gtm bench` at scale 0.01 without them still exercises the
generator and pandas measurements, the process-tree sampling and both output files.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import PROJECT_DIR, Run
from gtm_analytics.bench import _busy_time, _topological, breakdown, compare_pandas_with_mart

HEAVY = "full,memory,incremental,raw_sql,postgres"


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

    names = [entry["name"] for entry in report["measurements"]]
    assert any(name.startswith("generate") for name in names), names
    assert any(name.startswith("pandas") for name in names), names
    assert not any("gtm build" in name for name in names), names
    for entry in report["measurements"]:
        assert entry["ok"], entry
        assert len(entry["runs"]) == 1
        run = entry["runs"][0]
        assert run["wall_s"] > 0 and run["cpu_s"] > 0 and run["peak_rss_bytes"] > 0
        assert entry["summary"]["wall_s"]["median"] == run["wall_s"]

    goals = {goal["goal"]: goal for goal in report["goals"]}
    assert goals["full build at scale 10"]["met"] is None  # not measured here
    markdown = (out / "bench.md").read_text()
    assert "| measurement | scale | runs | wall (median)" in markdown
    assert machine["cpu_model"] in markdown


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
        "call_s": 12.0,
        "invokes": [
            {
                "start": 100.0,
                "end": 110.0,
                "events": {
                    "FoundStats": 103.0,
                    "ConcurrencyLine": 103.5,
                    "PartialParsingEnabled": 101,
                },
            }
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
    assert split["gtm_s"] == pytest.approx(2.0)
    assert split["full_parse"] is False


def test_models_are_ordered_after_what_they_read() -> None:
    nodes = {
        "model.p.c": {"depends_on": {"nodes": ["model.p.b", "source.p.x"]}},
        "model.p.b": {"depends_on": {"nodes": ["model.p.a"]}},
        "model.p.a": {"depends_on": {"nodes": []}},
    }
    assert _topological(nodes) == ["model.p.a", "model.p.b", "model.p.c"]


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
