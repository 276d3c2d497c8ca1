"""bench.md: a report (bench.json's content) as Markdown tables."""

from __future__ import annotations

import json
import statistics
from collections.abc import Mapping
from typing import Any

from gtm_analytics.bench.goals import (
    HEADLINE_CORES,
    HEADLINE_PEAK_RSS_BYTES,
    HEADLINE_SCALE,
    HEADLINE_WALL_S,
    headline,
)
from gtm_analytics.bench.timings import layer_order


def scale_name(scale: float) -> str:
    """A scale as written on the command line (1, 0.1, 10)."""
    return f"{scale:g}"


def seconds(value: float | None) -> str:
    """A duration for a table: 2 decimals under 10 s, 1 under 10 min, else minutes."""
    if value is None:
        return "-"
    if value >= 600:
        return f"{value / 60:.1f} min"
    return f"{value:.1f} s" if value >= 10 else f"{value:.2f} s"


def size(value: float | None) -> str:
    """Bytes as MiB, or GiB from 1 GiB up."""
    if value is None:
        return "-"
    return f"{value / 1024**3:.2f} GiB" if value >= 1024**3 else f"{value / 1024**2:.0f} MiB"


def _header(report: Mapping[str, Any]) -> list[str]:
    machine = report["machine"]
    versions = machine.get("versions", {})
    return [
        "# gtm bench",
        "",
        f"* **Machine**: {machine.get('cpu_model') or 'unknown CPU'}, "
        f"{machine.get('cores')} cores ({machine.get('usable_cores')} usable by this process), "
        f"{(machine.get('memory_bytes') or 0) / 1024**3:.1f} GiB memory, {machine.get('os')}, "
        f"host {machine.get('hostname')}",
        "* **Versions**: Python "
        + machine.get("python", "?")
        + ", "
        + ", ".join(f"{name} {value}" for name, value in sorted(versions.items())),
        f"* **Date**: {report.get('started_at')} to {report.get('finished_at', '(running)')} (UTC)",
        f"* **Load average** (1, 5, 15 min) before: {report.get('load_before')}, "
        f"after: {report.get('load_after', '-')}",
        f"* **Settings**: {json.dumps(report.get('settings'))}",
    ]


def _headline(report: Mapping[str, Any]) -> list[str]:
    rows = headline(report)
    if not rows:
        return []
    lines = [
        "",
        "## Headline: full `gtm build` beside the plain-DuckDB floor",
        "",
        "The full build of each scale's Parquet data (wall: median of its runs; peak RSS: "
        "highest run) and, measured in the same run, the floor: every raw Parquet file "
        "loaded into a typed DuckDB table (`create table t as select * from "
        f"read_parquet(...)`, {rows[0]['floor_threads']} threads, the load loop's time). "
        f"The scale issue asks, at scale {HEADLINE_SCALE:g} on {HEADLINE_CORES} cores: wall "
        f"<= {HEADLINE_WALL_S:g} s, peak RSS <= {HEADLINE_PEAK_RSS_BYTES / 1024**3:g} GiB.",
        "",
        "| scale | build | wall | peak RSS | published file | raw Parquet | floor | floor "
        "peak RSS | build / floor |",
        "|--:|---|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for row in rows:
        if row["build_ok"] is None:
            build = "not run"
        else:
            build = "default `gtm build`" if row["default_build"] else "`gtm build` (see settings)"
            if not row["build_ok"]:
                build += ", **failed**"
        ratio = row["build_over_floor"]
        published = row["published_bytes"]
        lines.append(
            f"| {scale_name(row['scale'])} | {build} | {seconds(row['build_wall_s'])} "
            f"| {size(row['build_peak_rss_bytes'])} "
            f"| {size(published)} | {size(row['raw_bytes'])} "
            f"| {seconds(row['floor_load_s'])} | {size(row['floor_peak_rss_bytes'])} "
            f"| {'-' if ratio is None else f'{ratio:.1f} x'} |"
        )
    return lines


def _notes(entry: Mapping[str, Any]) -> list[str]:
    summary, runs = entry.get("summary", {}), entry.get("runs", [])
    notes = []
    if not entry.get("ok"):
        notes.append(f"**{sum(not run['ok'] for run in runs)} failed**")
    if "peak_spill_bytes" in summary:
        notes.append(f"spilled up to {size(summary['peak_spill_bytes']['max'])}")
    if "rows_added" in summary:
        notes.append(f"{int(summary['rows_added']['median']):,} rows added")
    if "csv_s" in summary:
        notes.append(
            f"CSV {seconds(summary['csv_s']['median'])}, "
            f"COPY {seconds(summary['copy_s']['median'])}"
        )
    if "compute_s" in summary:
        notes.append(f"compute {seconds(summary['compute_s']['median'])}")
    if "load_s" in summary:
        notes.append(f"load loop {seconds(summary['load_s']['median'])}")
    if "docs_s" in summary:
        notes.append(f"docs page {seconds(summary['docs_s']['median'])}")
    check = entry.get("check")
    if check:
        notes.append(
            "figures equal" if check.get("equal") else f"**differs**: {check.get('differences')}"
        )
    if entry.get("role") == "incremental":
        models = entry.get("incremental_models") or []
        notes.append(
            f"{len(models)} incremental models"
            if models
            else "no incremental model in the project: a full build"
        )
    if entry.get("role") in ("full", "memory", "incremental", "postgres") and runs:
        full_parses = sum(bool(run.get("full_parse")) for run in runs if run.get("ok"))
        if full_parses:
            notes.append(f"{full_parses} run(s) parsed from scratch")
    return notes


def _measurements(report: Mapping[str, Any]) -> list[str]:
    lines = [
        "",
        "## Measurements",
        "",
        "Times are medians over the runs that passed (min to max beside them); CPU is user + "
        "system seconds of the process tree; peak RSS is the highest of any run. parse / "
        "models / tests split dbt's part of a build (see docs/benchmarks.md).",
        "",
        "| measurement | scale | runs | wall (median) | min - max | CPU (median) | peak RSS "
        "| parse | models | tests | notes |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    for entry in report.get("measurements", []):
        summary = entry.get("summary", {})
        wall = summary.get("wall_s", {})
        runs = entry.get("runs", [])
        peaks = [run["peak_rss_bytes"] for run in runs if run.get("ok")]
        lines.append(
            f"| {entry['name']} | {scale_name(entry['scale'])} | {len(runs)} "
            f"| {seconds(wall.get('median'))} "
            f"| {seconds(wall.get('min'))} - {seconds(wall.get('max'))} "
            f"| {seconds(summary.get('cpu_s', {}).get('median'))} "
            f"| {size(max(peaks) if peaks else None)} "
            f"| {seconds(summary.get('parse_s', {}).get('median'))} "
            f"| {seconds(summary.get('models_s', {}).get('median'))} "
            f"| {seconds(summary.get('tests_s', {}).get('median'))} "
            f"| {'; '.join(_notes(entry))} |"
        )
    return lines


def _every_run(report: Mapping[str, Any]) -> list[str]:
    lines = [
        "",
        "## Every run",
        "",
        "| measurement | scale | run | result | wall | CPU | peak RSS | load at start |",
        "|---|--:|--:|---|--:|--:|--:|--:|",
    ]
    for entry in report.get("measurements", []):
        for number, run in enumerate(entry.get("runs", []), start=1):
            lines.append(
                f"| {entry['name']} | {scale_name(entry['scale'])} | {number} "
                f"| {'ok' if run.get('ok') else '**failed**'} | {seconds(run.get('wall_s'))} "
                f"| {seconds(run.get('cpu_s'))} | {size(run.get('peak_rss_bytes'))} "
                f"| {run.get('load_1m_at_start', '-')} |"
            )
    return lines


def _layers(report: Mapping[str, Any]) -> list[str]:
    """One row per measurement with per-node times: each layer's summed node seconds
    (median over the passing runs) and node count."""
    measured = [
        entry
        for entry in report.get("measurements", [])
        if any(run.get("layers") for run in entry.get("runs", []) if run.get("ok"))
    ]
    if not measured:
        return []
    names = layer_order(
        sorted(
            {
                layer
                for entry in measured
                for run in entry["runs"]
                if run.get("ok")
                for layer in run.get("layers") or {}
            }
        )
    )
    lines = [
        "",
        "## Time by layer",
        "",
        "Summed execution time of each layer's nodes (dbt's run_results; for the raw SQL its "
        "own timing of each statement), median over the runs that passed, with the number "
        "of nodes. Nodes on different threads overlap, so a row can add up to more than "
        "its wall time. Every node's seconds are in bench.json (`node_seconds` of each run).",
        "",
        "| measurement | scale | " + " | ".join(names) + " |",
        "|---|--:|" + "--:|" * len(names),
    ]
    for entry in measured:
        runs = [run for run in entry["runs"] if run.get("ok") and run.get("layers")]
        cells = []
        for name in names:
            values = [run["layers"][name]["seconds"] for run in runs if name in run["layers"]]
            counts = [run["layers"][name]["nodes"] for run in runs if name in run["layers"]]
            cells.append(f"{seconds(statistics.median(values))} ({max(counts)})" if values else "-")
        lines.append(
            f"| {entry['name']} | {scale_name(entry['scale'])} | " + " | ".join(cells) + " |"
        )
    return lines


def _slowest(report: Mapping[str, Any]) -> list[str]:
    lines: list[str] = []
    for entry in report.get("measurements", []):
        nodes = entry.get("slowest_nodes")
        if not nodes:
            continue
        lines += [
            "",
            f"## Slowest nodes: {entry['name']}, scale {scale_name(entry['scale'])} (last run)",
            "",
            "| node | layer | seconds |",
            "|---|---|--:|",
        ]
        lines += [
            f"| {node['node']} | {node.get('layer', '-')} | {node['seconds']:.2f} |"
            for node in nodes
        ]
    return lines


def _goals(report: Mapping[str, Any]) -> list[str]:
    lines = [
        "",
        "## Goals",
        "",
        "| from | goal | target | measured | met |",
        "|---|---|---|---|---|",
    ]
    for item in report.get("goals", []):
        met = {True: "yes", False: "**no**", None: "not measured"}[item["met"]]
        lines.append(
            f"| {item.get('source', '-')} | {item['goal']} | {item['target']} "
            f"| {item['measured'] or '-'} | {met} |"
        )
    return lines


def render_markdown(report: Mapping[str, Any]) -> str:
    """bench.md: the machine, the headline, one row per measurement, every run's peak
    RSS, time by layer, the slowest nodes, the goals, the notes."""
    lines = _header(report)
    lines += _headline(report)
    lines += _measurements(report)
    lines += _every_run(report)
    lines += _layers(report)
    lines += _slowest(report)
    lines += _goals(report)
    if report.get("notes"):
        lines += ["", "## Notes", ""] + [f"* {note}" for note in report["notes"]]
    return "\n".join(lines) + "\n"
