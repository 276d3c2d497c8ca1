"""The headline figure and the issues' goals, read from a report's measurements.

Nothing here measures or asserts: a goal that was not measured is `met: null`, one that
was measured is met or not. Tests never check speed; the report does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# Issue 6 (the first performance issue).
GOAL_FULL_BUILD_S = {10.0: 20.0, 100.0: 120.0}
GOAL_PEAK_RSS_BYTES = 8 * 1024**3
GOAL_INCREMENTAL_SHARE = 0.15
GOAL_DBT_OVER_RAW = 1.3
GOAL_SPEEDUP = 10.0
# The scale issue's headline: a full default `gtm build` of scale-10 Parquet on 2 cores,
# beside the plain-DuckDB floor measured in the same run.
HEADLINE_SCALE = 10.0
HEADLINE_CORES = 2
HEADLINE_WALL_S = 60.0
HEADLINE_PEAK_RSS_BYTES = 6 * 1024**3
# The scale issue's incremental goal (issue 6's stricter share is its goal beyond).
SCALE_ISSUE_INCREMENTAL_SHARE = 0.30
# The floor's DuckDB threads, as the scale check (../shared/tools/scale-check) runs it.
FLOOR_THREADS = 2
# dbt threads when neither --threads nor GTM_THREADS says otherwise (profiles.yml).
DEFAULT_DBT_THREADS = 2


def find(report: Mapping[str, Any], role: str, scale: float | None = None) -> dict | None:
    """The first measurement of a role (at a scale), or None."""
    for entry in report.get("measurements", []):
        if entry.get("role") == role and (scale is None or entry["scale"] == scale):
            return entry
    return None


def median(entry: Mapping[str, Any] | None, key: str = "wall_s") -> float | None:
    """The median of one number over a measurement's passing runs."""
    if not entry:
        return None
    return entry.get("summary", {}).get(key, {}).get("median")


def peak_rss(entry: Mapping[str, Any] | None) -> int | None:
    """The highest peak RSS of a measurement's passing runs."""
    peaks = [run["peak_rss_bytes"] for run in (entry or {}).get("runs", []) if run.get("ok")]
    return max(peaks) if peaks else None


def _dbt_wall(entry: Mapping[str, Any] | None) -> float | None:
    """A build's wall without its docs page (the raw SQL makes none)."""
    wall = median(entry)
    return None if wall is None else wall - (median(entry, "docs_s") or 0.0)


def headline(report: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Per scale with a full build or a floor: the full `gtm build`'s wall (median) and
    peak RSS (highest run), the published file, the raw Parquet, and the plain-DuckDB
    floor (every raw table loaded into a typed table, FLOOR_THREADS threads) beside it."""
    settings = report.get("settings", {})
    threads = settings.get("dbt_threads")
    default = settings.get("docs", True) and threads in (None, DEFAULT_DBT_THREADS)
    rows = []
    scales = sorted(
        {
            entry["scale"]
            for entry in report.get("measurements", [])
            if entry.get("role") in ("full", "floor")
        }
    )
    for scale in scales:
        full, floor = find(report, "full", scale), find(report, "floor", scale)
        wall, load = median(full), median(floor, "load_s")
        rows.append(
            {
                "scale": scale,
                "default_build": bool(default),
                "build_ok": None if full is None else full["ok"],
                "build_runs": len(full["runs"]) if full else 0,
                "build_wall_s": wall,
                "build_peak_rss_bytes": peak_rss(full),
                "published_bytes": median(full, "published_bytes"),
                "raw_bytes": (full or floor or {}).get("raw_bytes"),
                "floor_ok": None if floor is None else floor["ok"],
                "floor_load_s": load,
                "floor_peak_rss_bytes": peak_rss(floor),
                "floor_threads": FLOOR_THREADS,
                "build_over_floor": round(wall / load, 2) if wall is not None and load else None,
                "usable_cores": report.get("machine", {}).get("usable_cores"),
            }
        )
    return rows


def evaluate_goals(report: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The issues' goals against what was measured (met: null when not measured)."""
    goals: list[dict[str, Any]] = []

    def goal(source: str, text: str, target: str, measured: str | None, met: bool | None) -> None:
        goals.append(
            {"source": source, "goal": text, "target": target, "measured": measured, "met": met}
        )

    cores = report.get("machine", {}).get("usable_cores")
    row = next((r for r in headline(report) if r["scale"] == HEADLINE_SCALE), None)
    wall = row and row["build_wall_s"]
    rss = row and row["build_peak_rss_bytes"]
    on_cores = cores == HEADLINE_CORES
    where = "" if on_cores else f" on {cores} usable cores, not {HEADLINE_CORES}: not comparable"
    floor = row and row["floor_load_s"]
    beside = f", floor {floor:.1f} s" if floor else ""
    goal(
        "scale issue",
        f"full default gtm build at scale {HEADLINE_SCALE:g} on {HEADLINE_CORES} cores: wall",
        f"<= {HEADLINE_WALL_S:g} s",
        None if wall is None else f"{wall:.1f} s{beside}{where}",
        None if wall is None or not on_cores else wall <= HEADLINE_WALL_S,
    )
    goal(
        "scale issue",
        f"full default gtm build at scale {HEADLINE_SCALE:g} on {HEADLINE_CORES} cores: peak RSS",
        f"<= {HEADLINE_PEAK_RSS_BYTES / 1024**3:g} GiB",
        None if rss is None else f"{rss / 1024**3:.2f} GiB{where}",
        None if rss is None or not on_cores else rss <= HEADLINE_PEAK_RSS_BYTES,
    )

    for scale, limit in GOAL_FULL_BUILD_S.items():
        wall = median(find(report, "full", scale))
        goal(
            "issue 6",
            f"full build at scale {scale:g}",
            f"<= {limit:g} s",
            None if wall is None else f"{wall:.1f} s",
            None if wall is None else wall <= limit,
        )
    peaks = [
        run["peak_rss_bytes"]
        for entry in report.get("measurements", [])
        if entry.get("role") in ("full", "memory", "incremental")
        for run in entry["runs"]
        if run.get("ok")
    ]
    goal(
        "issue 6",
        "peak RSS of the builds",
        "<= 8 GiB",
        f"{max(peaks) / 1024**3:.2f} GiB" if peaks else None,
        (max(peaks) <= GOAL_PEAK_RSS_BYTES) if peaks else None,
    )
    memory = find(report, "memory")
    if memory is not None:
        spilled = [run.get("peak_spill_bytes") or 0 for run in memory["runs"]]
        goal(
            "issue 6",
            f"completes at memory_limit = '{memory.get('memory_limit')}' "
            f"(scale {memory['scale']:g})",
            "every run passes",
            f"{sum(run['ok'] for run in memory['runs'])} of {len(memory['runs'])} passed, "
            f"spilled up to {max(spilled) / 1024**2:.0f} MiB",
            memory["ok"],
        )
    else:
        goal("issue 6", "completes at memory_limit = '2GB'", "every run passes", None, None)
    for entry in report.get("measurements", []):
        if entry.get("role") != "incremental":
            continue
        full = median(find(report, "full", entry["scale"]))
        inc = median(entry)
        share = inc / full if inc is not None and full else None
        measured = None if share is None else f"{share:.0%} ({inc:.1f} s vs {full:.1f} s)"
        for source, limit in (
            ("scale issue", SCALE_ISSUE_INCREMENTAL_SHARE),
            ("issue 6", GOAL_INCREMENTAL_SHARE),
        ):
            goal(
                source,
                f"incremental build after 1 % new events (scale {entry['scale']:g})",
                f"<= {limit:.0%} of the full build",
                measured,
                None if share is None else share <= limit,
            )
    for entry in report.get("measurements", []):
        if entry.get("role") != "raw_sql":
            continue
        full = _dbt_wall(find(report, "full", entry["scale"]))
        raw = median(entry)
        ratio = full / raw if full is not None and raw else None
        goal(
            "issue 6",
            f"dbt wall (docs page aside) / raw-SQL wall (scale {entry['scale']:g})",
            f"<= {GOAL_DBT_OVER_RAW}",
            None if ratio is None else f"{ratio:.2f} ({full:.1f} s / {raw:.1f} s)",
            None if ratio is None else ratio <= GOAL_DBT_OVER_RAW,
        )
    for role, label in (("pandas", "pandas script"), ("postgres", "PostgreSQL build")):
        for entry in report.get("measurements", []):
            if entry.get("role") != role:
                continue
            full = median(find(report, "full", entry["scale"]))
            other = median(entry)
            if role == "postgres":
                load = median(find(report, "postgres_load", entry["scale"]))
                other = None if other is None else other + (load or 0.0)
            speedup = other / full if other is not None and full else None
            goal(
                "issue 6",
                f"faster than the {label} (scale {entry['scale']:g})",
                f">= {GOAL_SPEEDUP:g} x",
                None if speedup is None else f"{speedup:.2f} x ({other:.1f} s vs {full:.1f} s)",
                None if speedup is None else speedup >= GOAL_SPEEDUP,
            )
    return goals
