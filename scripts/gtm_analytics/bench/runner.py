"""The scenarios of `gtm bench`, in order, each measured in child processes.

Per scale (names for `--skip`):

* `full`: `gtm build` (the `build()` function, as the command runs it: docs page
  included unless --no-docs) on generated Parquet data, a fresh published file each run,
  split into dbt parse, models, tests, docs and the rest, with every node's time;
* `floor`: the plain-DuckDB floor: every raw Parquet file loaded into a typed table,
  2 threads (the headline puts it beside the full build);
* `memory`: the full build with DuckDB's memory_limit at 2GB (GTM_DUCKDB_MEMORY_LIMIT),
  with the size of DuckDB's spill folder recorded;
* `incremental`: a build into an existing warehouse after 1 % new events were appended
  to the raw directory;
* `raw_sql`: "the limit": the compiled SQL of every model (from the full build's
  manifest) run in dependency order in one DuckDB connection, without dbt;
* `pandas`: benchmarks/pandas_sequence_metrics.py on the same raw files, its figures
  checked against the `sequence_performance` mart;
* `postgres`: the same dbt project on a private PostgreSQL server: the raw tables loaded
  as text (COPY), then `gtm build --target postgres --var raw_schema=...`.

Results go to OUT/bench.json and OUT/bench.md, rewritten after every measurement.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from gtm_analytics.bench.checks import compare_pandas_with_mart, compare_postgres_with_duckdb
from gtm_analytics.bench.goals import FLOOR_THREADS, evaluate_goals, headline
from gtm_analytics.bench.machine import machine_info, pinned_duckdb_threads
from gtm_analytics.bench.markdown import render_markdown, scale_name
from gtm_analytics.bench.measure import Run, measure
from gtm_analytics.bench.timings import (
    breakdown,
    layer_summary,
    manifest_layers,
    node_seconds,
    slowest_nodes,
)
from gtm_analytics.errors import GtmError
from gtm_analytics.paths import project_dir

STEPS = ("full", "floor", "memory", "incremental", "raw_sql", "pandas", "postgres")
SCHEMA_VERSION = 2
DATA_MARKER = ".gtm_bench_data.json"
PANDAS_SCRIPT = Path("benchmarks") / "pandas_sequence_metrics.py"
RAW_SCHEMA = "hubspot_raw"


def _summary(runs: Sequence[Run]) -> dict[str, Any]:
    """Median, min and max of each number over the runs that passed."""
    ok = [run.as_json() for run in runs if run.ok]
    if not ok:
        return {}
    keys = [
        key
        for key, value in ok[0].items()
        if isinstance(value, int | float) and not isinstance(value, bool)
    ]
    summary: dict[str, Any] = {}
    for key in keys:
        values = [run[key] for run in ok if isinstance(run.get(key), int | float)]
        if values:
            summary[key] = {
                "median": round(statistics.median(values), 3),
                "min": round(min(values), 3),
                "max": round(max(values), 3),
            }
    return summary


@dataclass
class Options:
    """What `gtm bench` was asked to do."""

    scales: list[float]
    runs: int = 3
    out: Path = Path("bench-results")
    work: Path | None = None
    data: Path | None = None
    skip: set[str] = field(default_factory=set)
    threads: int | None = None
    seed: int = 42
    memory_limit: str = "2GB"
    memory_scale: float = 10.0
    postgres_scale: float = 1.0
    increment: float = 0.01
    timeout_s: float | None = None
    docs: bool = True


def _pick_scale(scales: Sequence[float], wanted: float) -> float | None:
    """`wanted` if requested, else the largest requested scale below it (a smaller
    machine or a quick run), else none."""
    below = [scale for scale in scales if scale <= wanted]
    return max(below) if below else None


def _raw_bytes(raw_dir: Path) -> int:
    return sum(path.stat().st_size for path in raw_dir.glob("*.parquet"))


def _artifacts(folder: Path, number: int) -> Path:
    """Where the child of build run `number` keeps its build's dbt artifacts (see jobs)."""
    return folder / f"run{number}.dbt"


def _read_build(run: Run, artifacts: Path, **extra: Any) -> Path | None:
    """Add to a passing build run dbt's split of its time (plus `extra` numbers), every
    node's seconds, their sum by layer and the slowest nodes; return its manifest."""
    results, manifest = artifacts / "run_results.json", artifacts / "manifest.json"
    if not run.ok or not results.exists():
        return None
    run_results = json.loads(results.read_text())
    layers = manifest_layers(manifest)
    seconds = node_seconds(run_results)
    run.result["breakdown"] = {**breakdown(run.result, run_results), **extra}
    run.result["node_seconds"] = seconds
    run.result["layers"] = layer_summary(seconds, layers)
    run.result["slowest_nodes"] = slowest_nodes(seconds, layers)
    return manifest if manifest.exists() else None


class Bench:
    """One `gtm bench` run: measurements in order, written out as they come."""

    def __init__(self, options: Options, work: Path, echo: Callable[[str], None]) -> None:
        self.options, self.work, self.echo = options, work, echo
        self.data = options.data or work / "data"
        # On a machine pinned to fewer cores than it has (taskset), DuckDB would still
        # start a thread per core: the jobs that open DuckDB themselves (the floor, the
        # raw SQL) get `duckdb_threads`. dbt's connections get theirs from `gtm build`
        # (gtm_analytics.processes.shared_cores: the usable cores shared among dbt's
        # threads), as a user's build does.
        self.duckdb_threads = pinned_duckdb_threads()
        self.report: dict[str, Any] = {
            "schema_version": SCHEMA_VERSION,
            "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": machine_info(),
            "load_before": [round(value, 2) for value in os.getloadavg()],
            "settings": {
                "scales": options.scales,
                "runs": options.runs,
                "skip": sorted(options.skip),
                "dbt_threads": options.threads,
                "duckdb_threads": self.duckdb_threads,
                "floor_threads": FLOOR_THREADS,
                "docs": options.docs,
                "seed": options.seed,
                "memory_limit": options.memory_limit,
                "increment": options.increment,
            },
            "measurements": [],
            "checks": [],
            "slowest_nodes": {},
            "notes": [],
        }

    # ------------------------------------------------------------------ bookkeeping

    def _add(self, name: str, scale: float, runs: list[Run], **extra: Any) -> dict[str, Any]:
        entry = {
            "name": name,
            "scale": scale,
            "runs": [run.as_json() for run in runs],
            "summary": _summary(runs),
            "ok": all(run.ok for run in runs) and bool(runs),
            **extra,
        }
        self.report["measurements"].append(entry)
        self.save()
        wall = entry["summary"].get("wall_s", {}).get("median")
        status = f"median {wall:.1f} s" if wall is not None else "FAILED"
        self.echo(f"  {name} (scale {scale_name(scale)}): {status}")
        for run in runs:
            if run.error:
                # The job's own message starts with what went wrong; a crash ends with it.
                lines = run.error.strip().splitlines()
                line = lines[-1] if lines[0].startswith("exit code") else lines[0]
                self.echo(f"    error: {line[:300]}")
        return entry

    def save(self) -> None:
        """Write bench.json and bench.md as they stand (a long run can be read midway)."""
        out = self.options.out
        out.mkdir(parents=True, exist_ok=True)
        self.report["headline"] = headline(self.report)
        self.report["goals"] = evaluate_goals(self.report)
        for name, text in (
            ("bench.json", json.dumps(self.report, indent=1, default=str) + "\n"),
            ("bench.md", render_markdown(self.report)),
        ):
            temporary = out / f".{name}.tmp"
            temporary.write_text(text)
            os.replace(temporary, out / name)

    def _measure(self, spec: dict[str, Any], log: Path, **kwargs: Any) -> Run:
        """One child, with this bench's DuckDB threads and timeout."""
        return measure(
            {"duckdb_threads": self.duckdb_threads, **spec},
            work=self.work,
            log=log,
            timeout_s=self.options.timeout_s,
            **kwargs,
        )

    def _measure_runs(
        self,
        spec: dict[str, Any],
        folder: Path,
        count: int,
        before_each: Callable[[], None] | None = None,
        after_each: Callable[[int, Run], None] | None = None,
        **kwargs: Any,
    ) -> list[Run]:
        runs = []
        for number in range(1, count + 1):
            if before_each is not None:
                before_each()
            run_spec = dict(spec)
            if spec["kind"] == "build":
                artifacts = _artifacts(folder, number)
                shutil.rmtree(artifacts, ignore_errors=True)
                run_spec["artifacts_out"] = str(artifacts)
            run = self._measure(run_spec, folder / f"run{number}.log", **kwargs)
            if after_each is not None:
                after_each(number, run)
            runs.append(run)
        return runs

    def _dbt_env(self, folder: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        """A build child's environment: its own dbt target and log folders."""
        env = {
            "DBT_TARGET_PATH": str(folder / "dbt_target"),
            "DBT_LOG_PATH": str(folder / "dbt_logs"),
        }
        return {**env, **(extra or {})}

    # ------------------------------------------------------------------ steps

    def data_dir(self, scale: float) -> Path:
        """The raw directory of a scale: generated (and measured) unless already there."""
        folder = self.data / f"scale-{scale_name(scale)}"
        marker = folder / DATA_MARKER
        if marker.exists():
            known = json.loads(marker.read_text())
            if known.get("seed") == self.options.seed and known.get("scale") == scale:
                self.report["notes"].append(
                    f"scale {scale_name(scale)}: reused the raw data in {folder}"
                )
                return folder
        if folder.exists():
            shutil.rmtree(folder)
        spec = {"kind": "generate", "out": str(folder), "seed": self.options.seed, "scale": scale}
        run = self._measure(spec, self.work / "logs" / f"generate-{scale:g}.log")
        self._add("generate raw data (Parquet)", scale, [run], raw_bytes=_raw_bytes(folder))
        if not run.ok:
            raise GtmError(f"could not generate scale {scale:g}: {run.error}")
        counts = run.result.get("counts", {})
        marker.write_text(
            json.dumps(
                {"seed": self.options.seed, "scale": scale, "format": "parquet", "counts": counts},
                indent=1,
            )
        )
        return folder

    def _parse(
        self, label: str, scale: float, folder: Path, spec: dict[str, Any], **kw: Any
    ) -> None:
        """A warm-up `dbt parse` (no partial-parse state yet), recorded as the cold parse."""
        parse = self._measure({"kind": "parse", **spec}, folder / "parse.log", **kw)
        if parse.ok and parse.result.get("invokes"):
            invoke = parse.result["invokes"][0]
            parse.result["breakdown"] = {"parse_s": round(invoke["end"] - invoke["start"], 3)}
        self._add(f"{label}: dbt parse, cold (no partial-parse state)", scale, [parse])

    def _builds(
        self,
        label: str,
        key: str,
        scale: float,
        raw_dir: Path,
        *,
        env: Mapping[str, str] | None = None,
        prepare: Callable[[Path], None] | None = None,
        runs: int | None = None,
        spill: bool = False,
    ) -> tuple[list[Run], Path, Path | None]:
        """A warm-up `dbt parse` (recorded as the cold parse) then `runs` builds of the
        warehouse at WORK/<key>/gtm.duckdb; `prepare(warehouse)` runs before each. Each
        run gets dbt's split of its time, every node's seconds and the published size.
        Returns the runs, the warehouse and the manifest of the last passing build."""
        folder = self.work / key
        manifests: list[Path] = []
        warehouse = folder / "warehouse" / "gtm.duckdb"
        warehouse.parent.mkdir(parents=True, exist_ok=True)
        dbt_env = self._dbt_env(folder, env)
        work_file = warehouse.with_name(f".{warehouse.stem}.work{warehouse.suffix}")
        common = {"raw_dir": str(raw_dir), "threads": self.options.threads}
        self._parse(label, scale, folder, {"duckdb_path": str(work_file), **common}, env=dbt_env)
        spec = {"kind": "build", "warehouse": str(warehouse), "docs": self.options.docs, **common}

        def before() -> None:
            if prepare is not None:
                prepare(warehouse)

        def split(number: int, run: Run) -> None:
            published = warehouse.stat().st_size if warehouse.exists() else 0
            manifest = _read_build(run, _artifacts(folder, number), published_bytes=published)
            if manifest is not None:
                manifests.append(manifest)

        runs_done = self._measure_runs(
            spec,
            folder,
            runs or self.options.runs,
            before_each=before,
            after_each=split,
            env=dbt_env,
            spill_dir=warehouse.parent if spill else None,
        )
        return runs_done, warehouse, manifests[-1] if manifests else None

    def _add_builds(self, name: str, scale: float, runs: list[Run], **extra: Any) -> dict:
        """Record build runs with the slowest nodes of the last one that passed."""
        slowest = next(
            (
                run.result["slowest_nodes"]
                for run in reversed(runs)
                if "slowest_nodes" in run.result
            ),
            [],
        )
        return self._add(name, scale, runs, slowest_nodes=slowest, **extra)

    def _fresh(self, warehouse: Path) -> None:
        # A full build: no published file, so nothing to build incrementally on.
        for path in warehouse.parent.glob("*"):
            if path.is_file():
                path.unlink()
            else:
                shutil.rmtree(path)

    def run_scale(self, scale: float) -> None:
        options, name = self.options, scale_name(scale)
        self.echo(f"scale {name}")
        raw_dir = self.data_dir(scale)
        raw_bytes = _raw_bytes(raw_dir)
        # raw_sql needs the full build's manifest, incremental its warehouse; pandas only
        # uses the warehouse to check its figures, so it does not ask for a build.
        need_build = {"raw_sql", "incremental"} - options.skip
        warehouse = manifest = None
        if "full" not in options.skip or need_build:
            runs = options.runs if "full" not in options.skip else 1
            label = "full build" if "full" not in options.skip else "full build (preparation)"
            builds, warehouse, manifest = self._builds(
                label, f"full-{name}", scale, raw_dir, prepare=self._fresh, runs=runs
            )
            entry = self._add_builds(
                f"{label}: gtm build",
                scale,
                builds,
                role="full" if "full" not in options.skip else "preparation",
                raw_bytes=raw_bytes,
            )
            if not all(run.ok for run in builds):
                warehouse = None
            if entry["slowest_nodes"]:
                self.report["slowest_nodes"][name] = entry["slowest_nodes"]
        if "floor" not in options.skip:
            self.floor(scale, raw_dir, raw_bytes)
        memory_scale = _pick_scale(options.scales, options.memory_scale)
        if "memory" not in options.skip and memory_scale == scale:
            limit = options.memory_limit
            builds, memory_warehouse, _ = self._builds(
                f"full build, DuckDB memory_limit {limit}",
                f"memory-{name}",
                scale,
                raw_dir,
                env={"GTM_DUCKDB_MEMORY_LIMIT": limit},
                prepare=self._fresh,
                spill=True,
            )
            self._add_builds(
                f"full build, DuckDB memory_limit {limit}: gtm build",
                scale,
                builds,
                role="memory",
                memory_limit=limit,
            )
            shutil.rmtree(memory_warehouse.parent, ignore_errors=True)
        if warehouse is not None and manifest is not None:
            if "raw_sql" not in options.skip:
                self.raw_sql(scale, manifest)
            if "incremental" not in options.skip:
                self.incremental(scale, raw_dir, warehouse)
        elif need_build:
            self.report["notes"].append(
                f"scale {name}: no successful full build, so no {', '.join(sorted(need_build))}"
            )
        if "pandas" not in options.skip:
            self.pandas(scale, raw_dir, warehouse)
        postgres_scale = _pick_scale(options.scales, options.postgres_scale)
        if "postgres" not in options.skip and postgres_scale == scale:
            self.postgres(scale, raw_dir, warehouse)
        if warehouse is not None:
            shutil.rmtree(warehouse.parent, ignore_errors=True)

    def floor(self, scale: float, raw_dir: Path, raw_bytes: int) -> None:
        folder = self.work / f"floor-{scale_name(scale)}"
        spec = {"kind": "floor", "raw_dir": str(raw_dir), "threads": FLOOR_THREADS}
        runs = self._measure_runs(spec, folder, self.options.runs)
        self._add(
            f"the floor: every raw Parquet file into a DuckDB table, {FLOOR_THREADS} threads",
            scale,
            runs,
            role="floor",
            raw_bytes=raw_bytes,
        )

    def raw_sql(self, scale: float, manifest: Path) -> None:
        folder = self.work / f"raw-sql-{scale_name(scale)}"
        spec = {"kind": "raw_sql", "manifest": str(manifest), "folder": str(folder / "db")}
        layers = manifest_layers(manifest)

        def node_times(_number: int, run: Run) -> None:
            if run.ok and "node_seconds" in run.result:
                run.result["layers"] = layer_summary(run.result["node_seconds"], layers)

        runs = self._measure_runs(
            spec,
            folder,
            self.options.runs,
            before_each=lambda: shutil.rmtree(folder / "db", ignore_errors=True),
            after_each=node_times,
        )
        last = next((run for run in reversed(runs) if run.ok), None)
        self._add(
            "the limit: compiled SQL in one DuckDB connection, no dbt",
            scale,
            runs,
            role="raw_sql",
            slowest_nodes=slowest_nodes(last.result["node_seconds"], layers) if last else [],
        )
        shutil.rmtree(folder / "db", ignore_errors=True)

    def pandas(self, scale: float, raw_dir: Path, warehouse: Path | None) -> None:
        script = project_dir() / PANDAS_SCRIPT
        try:
            import pandas  # noqa: F401 - only whether it is installed
        except ImportError:
            self.report["notes"].append(
                "pandas is not installed (pip install -e '.[dev]'): the pandas script was skipped"
            )
            return
        folder = self.work / f"pandas-{scale_name(scale)}"
        out = folder / "sequence_metrics.parquet"
        spec = {"kind": "pandas", "script": str(script), "raw_dir": str(raw_dir), "out": str(out)}
        runs = self._measure_runs(spec, folder, self.options.runs)
        check = None
        if out.exists() and warehouse is not None:
            check = compare_pandas_with_mart(out, warehouse)
        if check is not None:
            check["scale"] = scale
            self.report["checks"].append(check)
        self._add(
            "pandas script (benchmarks/pandas_sequence_metrics.py)",
            scale,
            runs,
            role="pandas",
            check=check,
        )

    def incremental(self, scale: float, raw_dir: Path, warehouse: Path) -> None:
        name = scale_name(scale)
        base = self.work / f"incremental-base-{name}.duckdb"
        shutil.copyfile(warehouse, base)
        increment_dir = self.data / f"scale-{name}-plus-increment"
        spec = {
            "kind": "append",
            "source": str(raw_dir),
            "target": str(increment_dir),
            "fraction": self.options.increment,
        }
        append = self._measure(spec, self.work / "logs" / f"append-{name}.log")
        self._add(
            f"append {self.options.increment:.0%} new events to the raw files",
            scale,
            [append],
            role="append",
            added=append.result.get("added"),
        )
        if not append.ok:
            return

        def restore(target: Path) -> None:
            self._fresh(target)
            shutil.copyfile(base, target)

        builds, inc_warehouse, inc_manifest = self._builds(
            "incremental build", f"incremental-{name}", scale, increment_dir, prepare=restore
        )
        self._add_builds(
            "incremental build after the new events: gtm build",
            scale,
            builds,
            role="incremental",
            incremental_models=_incremental_models(inc_manifest),
        )
        shutil.rmtree(inc_warehouse.parent, ignore_errors=True)
        shutil.rmtree(increment_dir, ignore_errors=True)
        base.unlink(missing_ok=True)

    def postgres(self, scale: float, raw_dir: Path, duckdb_warehouse: Path | None) -> None:
        from gtm_analytics.pg_server import DATABASE, USER, throwaway_postgres

        folder = self.work / f"postgres-{scale_name(scale)}"
        try:
            server_cm = throwaway_postgres()
            server = server_cm.__enter__()
        except GtmError as exc:
            self.report["notes"].append(f"PostgreSQL was skipped: {exc}")
            self.echo(f"  PostgreSQL skipped: {exc}")
            return
        try:
            self.report["machine"]["versions"]["postgresql"] = server.version()
            env = {**server.env, **self._dbt_env(folder)}
            build_spec = {
                "target": "postgres",
                "vars": {"raw_schema": RAW_SCHEMA},
                "threads": self.options.threads,
            }
            # As for DuckDB: the first parse is measured apart, the builds reuse it.
            self._parse(
                "PostgreSQL",
                scale,
                folder,
                {"duckdb_path": str(folder / "unused.duckdb"), **build_spec},
                env=env,
            )
            loads, builds = [], []
            for number in range(1, self.options.runs + 1):
                _recreate_database(server.port, USER, DATABASE)
                loads.append(
                    self._measure(
                        {
                            "kind": "pg_load",
                            "raw_dir": str(raw_dir),
                            "folder": str(folder / "csv"),
                            "schema": RAW_SCHEMA,
                            "port": server.port,
                            "user": USER,
                            "dbname": DATABASE,
                        },
                        folder / f"load{number}.log",
                        server_pid=server.postmaster_pid,
                    )
                )
                if not loads[-1].ok:
                    break
                artifacts = folder / f"build{number}.dbt"
                shutil.rmtree(artifacts, ignore_errors=True)
                run = self._measure(
                    {
                        "kind": "build",
                        "warehouse": str(folder / "lock" / "gtm.duckdb"),
                        "docs": self.options.docs,
                        "artifacts_out": str(artifacts),
                        **build_spec,
                    },
                    folder / f"build{number}.log",
                    env=env,
                    server_pid=server.postmaster_pid,
                )
                _read_build(run, artifacts)
                builds.append(run)
            self._add(
                "PostgreSQL: load the raw tables (Parquet -> CSV -> COPY, text columns)",
                scale,
                loads,
                role="postgres_load",
            )
            check = None
            if builds and builds[-1].ok and duckdb_warehouse is not None:
                check = compare_postgres_with_duckdb(server.port, USER, DATABASE, duckdb_warehouse)
                check["scale"] = scale
                self.report["checks"].append(check)
            entry = self._add_builds(
                "PostgreSQL: gtm build --target postgres --var raw_schema=...",
                scale,
                builds,
                role="postgres",
                check=check,
            )
            if entry["slowest_nodes"]:
                self.report["slowest_nodes"][f"postgres {scale_name(scale)}"] = entry[
                    "slowest_nodes"
                ]
        finally:
            server_cm.__exit__(None, None, None)
            shutil.rmtree(folder / "csv", ignore_errors=True)

    def run(self) -> dict[str, Any]:
        for scale in self.options.scales:
            self.run_scale(scale)
        self.report["finished_at"] = datetime.now(UTC).isoformat(timespec="seconds")
        self.report["load_after"] = [round(value, 2) for value in os.getloadavg()]
        self.save()
        return self.report


def _incremental_models(manifest: Path | None) -> list[str]:
    """The models a build could update incrementally (none: every build is a full one)."""
    if manifest is None or not manifest.exists():
        return []
    nodes = json.loads(manifest.read_text())["nodes"].values()
    return sorted(
        node["name"]
        for node in nodes
        if node["resource_type"] == "model" and node["config"].get("materialized") == "incremental"
    )


def _recreate_database(port: int, user: str, database: str) -> None:
    import psycopg2

    con = psycopg2.connect(host="127.0.0.1", port=port, user=user, dbname="postgres")
    con.autocommit = True
    try:
        with con.cursor() as cursor:
            cursor.execute(f'drop database if exists "{database}" with (force)')
            cursor.execute(f'create database "{database}"')
    finally:
        con.close()


def run_bench(options: Options, echo: Callable[[str], None] = print) -> dict[str, Any]:
    """Run the benchmark; write OUT/bench.json and OUT/bench.md; return the report.

    Raises GtmError after writing them when a measurement failed."""
    unknown = options.skip - set(STEPS)
    if unknown:
        raise GtmError(
            f"unknown --skip {', '.join(sorted(unknown))}: choose from {', '.join(STEPS)}"
        )
    if not options.scales:
        raise GtmError("--scales needs at least one scale")
    own_work = options.work is None
    work = Path(tempfile.mkdtemp(prefix="gtm_bench_")) if own_work else options.work
    work = work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    options.out = options.out.resolve()
    if options.data is not None:
        options.data = options.data.resolve()
    try:
        report = Bench(options, work, echo).run()
    finally:
        if own_work:
            shutil.rmtree(work, ignore_errors=True)
    failed = [
        f"{entry['name']} (scale {scale_name(entry['scale'])})"
        for entry in report["measurements"]
        if not entry["ok"]
    ]
    if failed:
        raise GtmError(
            f"{len(failed)} measurements failed (see {options.out / 'bench.json'}): "
            + "; ".join(failed)
        )
    return report
