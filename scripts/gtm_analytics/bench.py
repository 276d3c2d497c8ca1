"""`gtm bench`: build times at several scales, and what the warehouse is compared with.

Every measurement runs in a child process of this one (`python -m gtm_analytics.bench
--child SPEC`), so that its CPU time and memory are its own: wall-clock time from start
to exit, CPU seconds (user + system) of the child and everything it waited for
(`os.wait4`), and the peak resident memory of its process tree, polled from /proc (plus
the kernel's own peak of the largest single process, which polling could miss). For the
PostgreSQL measurements the server's processes are added: their CPU seconds and their
proportional memory (PSS, so that shared buffers are counted once).

The measurements (names for `--skip`):

* `full`: `gtm build` (the `build()` function, docs off) on generated Parquet data, with
  a fresh published file each run, split from dbt's own events and run_results.json into
  dbt parse, model execution, tests and the rest;
* `memory`: the same with DuckDB's memory_limit at 2GB (GTM_DUCKDB_MEMORY_LIMIT), with
  the size of DuckDB's spill folder recorded;
* `incremental`: a build into an existing warehouse after 1 % new events were appended
  to the raw directory;
* `raw_sql`: "the limit": the compiled SQL of every model (from the full build's
  manifest) run in dependency order in one DuckDB connection, without dbt;
* `pandas`: benchmarks/pandas_sequence_metrics.py on the same raw files, its figures
  checked against the `sequence_performance` mart;
* `postgres`: the same dbt project on a private PostgreSQL server: the raw tables loaded
  as text (COPY), then `gtm build --target postgres --var raw_schema=...`.

Results go to OUT/bench.json and OUT/bench.md. See docs/benchmarks.md.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from gtm_analytics.errors import GtmError
from gtm_analytics.paths import project_dir

STEPS = ("full", "memory", "incremental", "raw_sql", "pandas", "postgres")
SCHEMA_VERSION = 1
DATA_MARKER = ".gtm_bench_data.json"
PANDAS_SCRIPT = Path("benchmarks") / "pandas_sequence_metrics.py"
RAW_SCHEMA = "hubspot_raw"
# The tables that get new rows in the incremental measurement, each with its key and its
# time column: the event-heavy tables the incremental models cover.
INCREMENT_TABLES = {
    "email_events": ("event_id", "occurred_at"),
    "marketing_email_events": ("event_id", "occurred_at"),
    "asset_clicks": ("click_id", "clicked_at"),
    "form_submissions": ("submission_id", "submitted_at"),
    "web_sessions": ("session_id", "started_at"),
}
# Figures compared between the pandas script and the marts (counts exact, rates to 1e-9).
PANDAS_COLUMNS = (
    "sequence_name",
    "total_enrollments",
    "emails_sent",
    "opened_count",
    "clicked_count",
    "replied_count",
    "meeting_count",
    "opened_rate",
    "clicked_rate",
    "replied_rate",
    "meeting_rate",
)
GOAL_FULL_BUILD_S = {10.0: 20.0, 100.0: 120.0}
GOAL_PEAK_RSS_BYTES = 8 * 1024**3
GOAL_INCREMENTAL_SHARE = 0.15
GOAL_DBT_OVER_RAW = 1.3
GOAL_SPEEDUP = 10.0


# --------------------------------------------------------------------------- /proc sampling


def _proc_stat(pid: int) -> list[str] | None:
    """Fields of /proc/PID/stat after the command name (which may hold spaces)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()


def _children() -> dict[int, list[int]]:
    """Parent pid -> child pids, for every process now."""
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            fields = _proc_stat(int(entry.name))
            if fields is not None:
                tree.setdefault(int(fields[1]), []).append(int(entry.name))
    return tree


def _descendants(root: int, tree: Mapping[int, list[int]]) -> list[int]:
    found, stack = [], [root]
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack.extend(tree.get(pid, []))
    return found


def _rss_bytes(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, IndexError, ValueError):
        return 0


def _pss_bytes(pid: int) -> int:
    """Proportional set size: pages shared by N processes count 1/N in each (PostgreSQL's
    shared buffers are mapped by every backend)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return _rss_bytes(pid)


def tree_cpu_seconds(root: int) -> float:
    """CPU seconds (user + system) of a process, its live descendants and every child
    they have reaped."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in _descendants(root, _children()):
        fields = _proc_stat(pid)
        if fields is not None:
            total += sum(int(value) for value in fields[11:15])  # utime stime cutime cstime
    return total / ticks


def _dir_bytes(path: Path) -> int:
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += os.stat(os.path.join(root, name)).st_size
            except OSError:
                continue
    return total


class TreeSampler(threading.Thread):
    """Polls the memory of process trees (RSS for the measured child's, PSS for a
    server's) and, optionally, the size of the spill folders in a directory."""

    def __init__(
        self,
        rss_roots: Sequence[int],
        pss_roots: Sequence[int] = (),
        spill_dir: Path | None = None,
        interval_s: float = 0.2,
    ) -> None:
        super().__init__(daemon=True)
        self.rss_roots, self.pss_roots = list(rss_roots), list(pss_roots)
        self.spill_dir, self.interval_s = spill_dir, interval_s
        self.peak_bytes = 0
        self.peak_spill_bytes = 0
        self._stop_event = threading.Event()

    def sample(self) -> None:
        tree = _children()
        total = sum(_rss_bytes(pid) for root in self.rss_roots for pid in _descendants(root, tree))
        total += sum(_pss_bytes(pid) for root in self.pss_roots for pid in _descendants(root, tree))
        self.peak_bytes = max(self.peak_bytes, total)
        if self.spill_dir is not None and self.spill_dir.is_dir():
            # DuckDB spills into <database file>.tmp beside the database.
            spill = sum(_dir_bytes(path) for path in self.spill_dir.glob("*.tmp") if path.is_dir())
            self.peak_spill_bytes = max(self.peak_spill_bytes, spill)

    def run(self) -> None:
        while not self._stop_event.wait(self.interval_s):
            self.sample()

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


# --------------------------------------------------------------------------- one child run


@dataclass
class Run:
    """One measured child process."""

    ok: bool
    wall_s: float
    cpu_s: float
    peak_rss_bytes: int
    load_1m: float
    result: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    spill_bytes: int | None = None

    def as_json(self) -> dict[str, Any]:
        data = {
            "ok": self.ok,
            "wall_s": round(self.wall_s, 3),
            "cpu_s": round(self.cpu_s, 3),
            "peak_rss_bytes": self.peak_rss_bytes,
            "load_1m_at_start": round(self.load_1m, 2),
        }
        if self.spill_bytes is not None:
            data["peak_spill_bytes"] = self.spill_bytes
        if self.error:
            data["error"] = self.error
        data.update(self.result.get("breakdown", {}))
        return data


def _child_env(extra: Mapping[str, str]) -> dict[str, str]:
    env = dict(os.environ)
    env.update(extra)
    # The children import this package from the same place as this process.
    env["PYTHONPATH"] = os.pathsep.join(
        [str(Path(__file__).resolve().parents[1]), env.get("PYTHONPATH", "")]
    ).rstrip(os.pathsep)
    return env


def measure(
    spec: Mapping[str, Any],
    *,
    work: Path,
    log: Path,
    env: Mapping[str, str] | None = None,
    server_pid: int | None = None,
    spill_dir: Path | None = None,
    timeout_s: float | None = None,
) -> Run:
    """Run one child (`spec` says what it does) and measure it."""
    result_file = log.with_suffix(".result.json")
    result_file.unlink(missing_ok=True)
    full_spec = {**spec, "result_file": str(result_file)}
    command = [sys.executable, "-m", "gtm_analytics.bench", "--child", json.dumps(full_spec)]
    server_cpu_before = tree_cpu_seconds(server_pid) if server_pid else 0.0
    load_1m = os.getloadavg()[0]
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w") as handle:
        started = time.monotonic()
        # Its own session, so that a timeout ends the whole tree it started.
        process = subprocess.Popen(
            command,
            cwd=work,
            env=_child_env(env or {}),
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        sampler = TreeSampler(
            [process.pid], [server_pid] if server_pid else [], spill_dir=spill_dir
        )
        sampler.start()
        timer = None
        if timeout_s:
            timer = threading.Timer(timeout_s, os.killpg, (process.pid, signal.SIGKILL))
            timer.start()
        try:
            _pid, status, usage = os.wait4(process.pid, 0)
        except BaseException:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise
        finally:
            if timer is not None:
                timer.cancel()
        wall = time.monotonic() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        sampler.stop()
    cpu = usage.ru_utime + usage.ru_stime
    if server_pid:
        cpu += max(0.0, tree_cpu_seconds(server_pid) - server_cpu_before)
    peak = max(sampler.peak_bytes, usage.ru_maxrss * 1024)
    result: dict[str, Any] = {}
    if result_file.exists():
        result = json.loads(result_file.read_text())
    error = None
    if process.returncode != 0 or not result.get("ok"):
        tail = log.read_text(errors="replace")[-3000:]
        error = result.get("error") or f"exit code {process.returncode}: {tail}"
    return Run(
        ok=error is None,
        wall_s=wall,
        cpu_s=cpu,
        peak_rss_bytes=peak,
        load_1m=load_1m,
        result=result,
        error=error,
        spill_bytes=sampler.peak_spill_bytes if spill_dir is not None else None,
    )


# --------------------------------------------------------------------------- dbt timings


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
    * `dbt_other_s`: the rest of dbt's invoke (hooks, scheduling, writing artifacts);
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
    result = {
        "parse_s": parse_s,
        "models_s": busy["models"],
        "tests_s": busy["tests"],
        "dbt_other_s": max(0.0, invoke_s - parse_s - busy["models"] - busy["tests"]),
        "gtm_s": max(0.0, float(child.get("call_s", invoke_s)) - invoke_s),
        "dbt_invoke_s": invoke_s,
        "model_thread_s": thread_s["models"],
        "test_thread_s": thread_s["tests"],
        "full_parse": "UnableToPartialParse" in events or "PartialParsingEnabled" not in events,
        "nodes": len((run_results or {}).get("results", [])),
    }
    return {
        key: round(value, 3) if isinstance(value, float) else value for key, value in result.items()
    }


def slowest_nodes(run_results: Mapping[str, Any], count: int = 12) -> list[dict[str, Any]]:
    """The models and the tests that took longest in one build (`count` of each)."""
    nodes = sorted(
        run_results.get("results", []),
        key=lambda node: float(node.get("execution_time") or 0.0),
        reverse=True,
    )
    picked = []
    for kind in ("models", "tests"):
        picked += [
            {"node": node["unique_id"], "seconds": round(float(node["execution_time"]), 2)}
            for node in nodes
            if _node_kind(node["unique_id"]) == kind
        ][:count]
    return picked


# --------------------------------------------------------------------------- the machine


def _package_versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    names = (
        "gtm-analytics",
        "dbt-core",
        "dbt-duckdb",
        "duckdb",
        "dbt-postgres",
        "pandas",
        "pyarrow",
        "numpy",
        "psycopg2-binary",
        "psycopg2",
    )
    found = {}
    for name in names:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            continue
    return found


def machine_info() -> dict[str, Any]:
    """What the numbers depend on: cores, memory, CPU model, versions, load."""
    cpu_model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count() or 1
    os_name = platform.platform()
    try:
        fields = dict(
            line.split("=", 1)
            for line in Path("/etc/os-release").read_text().splitlines()
            if "=" in line
        )
        os_name = fields.get("PRETTY_NAME", os_name).strip('"') + f" ({platform.release()})"
    except OSError:
        pass
    return {
        "hostname": platform.node(),
        "cpu_model": cpu_model,
        "cores": os.cpu_count(),
        "usable_cores": usable,
        "memory_bytes": memory,
        "os": os_name,
        "python": platform.python_version(),
        "versions": _package_versions(),
    }


def _usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


# --------------------------------------------------------------------------- children


def _limit_duckdb_threads() -> None:
    """On a machine pinned to fewer cores than it has (taskset), DuckDB would still start
    a thread per core; give every connection of this child as many threads as it may
    use, as on a machine with that many cores."""
    usable, total = _usable_cores(), os.cpu_count() or 1
    if usable >= total:
        return
    import duckdb

    original = duckdb.connect

    def connect(database: Any = ":memory:", *args: Any, **kwargs: Any) -> Any:
        config = dict(kwargs.pop("config", None) or {})
        config.setdefault("threads", usable)
        return original(database, *args, config=config, **kwargs)

    duckdb.connect = connect


def _record_dbt_events() -> list[dict[str, Any]]:
    """Make every dbtRunner of this process note when each invoke started and ended and
    when each kind of dbt event first fired (parse done, execution start and end)."""
    import dbt.cli.main as dbt_main

    invokes: list[dict[str, Any]] = []
    base = dbt_main.dbtRunner

    class TimedRunner(base):  # type: ignore[misc, valid-type]
        def __init__(self, manifest: Any = None, callbacks: Any = None) -> None:
            self._bench_events: dict[str, float] = {}

            def note(event: Any) -> None:
                self._bench_events.setdefault(event.info.name, time.time())

            super().__init__(manifest=manifest, callbacks=[*(callbacks or []), note])

        def invoke(self, args: list[str], **kwargs: Any) -> Any:
            self._bench_events = {}
            record = {"args": args[:1], "start": time.time()}
            try:
                return super().invoke(args, **kwargs)
            finally:
                record["end"] = time.time()
                record["events"] = dict(self._bench_events)
                invokes.append(record)

    dbt_main.dbtRunner = TimedRunner
    return invokes


def _child_build(spec: Mapping[str, Any]) -> dict[str, Any]:
    from gtm_analytics import build as build_module

    invokes = _record_dbt_events()
    raw_dir = Path(spec["raw_dir"]) if spec.get("raw_dir") else None
    started = time.time()
    try:
        build_module.build(
            warehouse=Path(spec["warehouse"]),
            raw_dir=raw_dir,
            dbt_vars=spec.get("vars") or {},
            threads=spec.get("threads"),
            target=spec.get("target"),
            docs=False,
        )
    finally:
        call_s = time.time() - started
    return {"invokes": invokes, "call_s": call_s}


def _child_parse(spec: Mapping[str, Any]) -> dict[str, Any]:
    """`dbt parse` with the build's vars and profile: leaves dbt's partial-parse state in
    the target folder, as the first of a user's builds would."""
    invokes = _record_dbt_events()
    # Imported after the line above, so that this is the timed runner.
    from dbt.cli.main import dbtRunner

    from gtm_analytics.build import dbt_args

    os.environ["GTM_DUCKDB_PATH"] = spec["duckdb_path"]
    raw_dir = Path(spec["raw_dir"]) if spec.get("raw_dir") else None
    args = dbt_args(
        "parse",
        raw_dir=raw_dir,
        dbt_vars=spec.get("vars") or {},
        threads=spec.get("threads"),
        target=spec.get("target"),
    )
    started = time.time()
    result = dbtRunner().invoke(args)
    if not result.success:
        raise GtmError(f"dbt parse failed: {result.exception}")
    return {"invokes": invokes, "call_s": time.time() - started}


def _topological(nodes: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """Model ids in an order where every model follows the models it reads."""
    remaining = {
        node_id: {dep for dep in node["depends_on"]["nodes"] if dep in nodes}
        for node_id, node in nodes.items()
    }
    ordered: list[str] = []
    while remaining:
        ready = sorted(node_id for node_id, deps in remaining.items() if not deps)
        if not ready:
            raise GtmError(f"the models form a cycle: {sorted(remaining)[:5]}")
        for node_id in ready:
            ordered.append(node_id)
            del remaining[node_id]
        for deps in remaining.values():
            deps.difference_update(ready)
    return ordered


def _quoted(*names: str) -> str:
    return ".".join('"' + name.replace('"', '""') + '"' for name in names)


def _child_raw_sql(spec: Mapping[str, Any]) -> dict[str, Any]:
    """The limit: every model's compiled SQL as `create table/view ... as`, in dependency
    order, in one DuckDB connection; then every data test's query (counted, as dbt
    does). Unit tests are left out: they run on fixtures, not on the data."""
    import duckdb

    manifest = json.loads(Path(spec["manifest"]).read_text())
    models = {
        node_id: node
        for node_id, node in manifest["nodes"].items()
        if node["resource_type"] == "model"
        and node["config"].get("enabled", True)
        and node["config"].get("materialized") != "ephemeral"
    }
    missing = [node_id for node_id, node in models.items() if not node.get("compiled_code")]
    if missing:
        raise GtmError(f"the manifest has no compiled SQL for {len(missing)} models: {missing[:3]}")
    database = next(iter(models.values()))["database"]
    folder = Path(spec["folder"])
    folder.mkdir(parents=True, exist_ok=True)
    # The compiled SQL names its relations "<database>"."<schema>"."<name>": a file of
    # that name gives the connection a catalog of that name.
    path = folder / f"{database}.duckdb"
    path.unlink(missing_ok=True)
    con = duckdb.connect(str(path))
    per_model: dict[str, float] = {}
    started = time.time()
    try:
        con.execute("SET TimeZone = 'UTC'")
        if spec.get("memory_limit"):
            con.execute(f"SET memory_limit = '{spec['memory_limit']}'")
        schemas = sorted({node["schema"] for node in models.values()})
        for schema in schemas:
            con.execute(f"create schema if not exists {_quoted(database, schema)}")
        for node_id in _topological(models):
            node = models[node_id]
            kind = "view" if node["config"].get("materialized") == "view" else "table"
            relation = _quoted(node["database"], node["schema"], node["alias"] or node["name"])
            node_started = time.time()
            con.execute(f"create or replace {kind} {relation} as\n{node['compiled_code']}")
            per_model[node_id] = time.time() - node_started
        models_s = time.time() - started
        tests_started = time.time()
        tests = 0
        if spec.get("tests", True):
            for node in manifest["nodes"].values():
                if node["resource_type"] == "test" and node.get("compiled_code"):
                    con.execute(
                        f"select count(*) from (\n{node['compiled_code']}\n) as dbt_test"
                    ).fetchall()
                    tests += 1
        tests_s = time.time() - tests_started
        con.execute("checkpoint")
    finally:
        con.close()
    slowest = sorted(per_model.items(), key=lambda item: item[1], reverse=True)[:15]
    return {
        "breakdown": {
            "models_s": round(models_s, 3),
            "tests_s": round(tests_s, 3),
            "models": len(models),
            "data_tests": tests,
        },
        "slowest": [{"node": node_id, "seconds": round(s, 2)} for node_id, s in slowest],
    }


def _child_generate(spec: Mapping[str, Any]) -> dict[str, Any]:
    from gtm_analytics.generate import generate

    out = Path(spec["out"])
    usable = _usable_cores()
    threads = usable if usable < (os.cpu_count() or 1) else None
    counts = generate(out, seed=spec["seed"], scale=spec["scale"], fmt="parquet", threads=threads)
    marker = {"seed": spec["seed"], "scale": spec["scale"], "format": "parquet", "counts": counts}
    (out / DATA_MARKER).write_text(json.dumps(marker, indent=1))
    return {"breakdown": {"rows": sum(counts.values())}}


def _child_append(spec: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of a raw directory with new events: for each table of INCREMENT_TABLES, a
    `fraction` of its rows, picked by a hash of the key, again with a new key and a time
    in the day after the latest instant of those tables (page views follow their new
    session). Other files are hard links to the originals."""
    import duckdb

    source, target = Path(spec["source"]), Path(spec["target"])
    fraction = float(spec["fraction"])
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    changed = set(INCREMENT_TABLES) | {"pageviews"}
    for path in source.iterdir():
        if path.is_file() and path.stem not in changed and not path.name.startswith("."):
            try:
                os.link(path, target / path.name)
            except OSError:
                shutil.copy2(path, target / path.name)
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")

    def file(table: str, folder: Path = source) -> str:
        return "'" + str(folder / f"{table}.parquet").replace("'", "''") + "'"

    latest = max(
        con.execute(f"select max({column}) from read_parquet({file(table)})").fetchall()[0][0]
        for table, (_key, column) in INCREMENT_TABLES.items()
    )
    con.execute("create temp table latest as select cast(? as timestamptz) as latest_at", [latest])
    # Every thousandth of the key hash space below `fraction` is picked.
    cut = int(round(fraction * 100000))
    added: dict[str, int] = {}
    for table, (key, column) in INCREMENT_TABLES.items():
        picked = f"hash({key}) % 100000 < {cut}"
        offset = f"to_seconds(1 + hash({key}, 'increment') % 86400)"
        con.execute(
            f"create temp table new_{table} as "
            f"select * replace ({key} || '-inc1' as {key}, "
            f"(select latest_at from latest) + {offset} as {column}) "
            f"from read_parquet({file(table)}) where {picked}"
        )
        if table == "web_sessions":
            con.execute(
                "create temp table session_shift as "
                "select s.session_id, s.session_id || '-inc1' as new_session_id, "
                f"(select latest_at from latest) + to_seconds(1 + hash(s.session_id, "
                "'increment') % 86400) - s.started_at as shift "
                f"from read_parquet({file('web_sessions')}) as s where hash(s.session_id) "
                f"% 100000 < {cut}"
            )
            con.execute(
                "create temp table new_pageviews as "
                "select p.* replace (p.pageview_id || '-inc1' as pageview_id, "
                "m.new_session_id as session_id, p.viewed_at + m.shift as viewed_at) "
                f"from read_parquet({file('pageviews')}) as p "
                "inner join session_shift as m on p.session_id = m.session_id"
            )
    for table in sorted(changed):
        added[table] = con.execute(f"select count(*) from new_{table}").fetchall()[0][0]
        con.execute(
            f"copy (select * from read_parquet({file(table)}) union all by name "
            f"select * from new_{table}) to {file(table, target)} "
            "(format parquet, compression zstd)"
        )
    con.close()
    base_rows = sum(
        duckdb.connect().execute(f"select count(*) from read_parquet({file(t)})").fetchall()[0][0]
        for t in sorted(changed)
    )
    return {
        "breakdown": {"rows_added": sum(added.values()), "rows_before": base_rows},
        "added": added,
    }


def _child_pandas(spec: Mapping[str, Any]) -> dict[str, Any]:
    import importlib.util

    script = Path(spec["script"])
    module_spec = importlib.util.spec_from_file_location("pandas_sequence_metrics", script)
    if module_spec is None or module_spec.loader is None:
        raise GtmError(f"cannot load {script}")
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    started = time.time()
    frame = module.sequence_metrics(Path(spec["raw_dir"]))
    compute_s = time.time() - started
    frame.to_parquet(spec["out"], index=False)
    return {"breakdown": {"compute_s": round(compute_s, 3), "sequences": len(frame)}}


def _child_pg_load(spec: Mapping[str, Any]) -> dict[str, Any]:
    """Load every raw Parquet file into schema `schema` of PostgreSQL, every column as
    text: DuckDB writes each file as CSV, psycopg2 COPYs it in; then ANALYZE, as a
    loader would, so that the planner knows the tables' sizes."""
    import duckdb
    import psycopg2

    from gtm_analytics.raw_tables import RAW_TABLES

    raw_dir, folder = Path(spec["raw_dir"]), Path(spec["folder"])
    folder.mkdir(parents=True, exist_ok=True)
    schema = spec["schema"]
    started = time.time()
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    files: dict[str, Path] = {}
    for table, columns in RAW_TABLES.items():
        source = raw_dir / f"{table}.parquet"
        if not source.exists():
            continue
        csv = folder / f"{table}.csv"
        select = ", ".join(f"cast({column} as varchar) as {column}" for column in columns)
        con.execute(
            f"copy (select {select} from read_parquet('{source}')) "
            f"to '{csv}' (header, delimiter ',')"
        )
        files[table] = csv
    con.close()
    convert_s = time.time() - started
    started = time.time()
    pg = psycopg2.connect(
        host="127.0.0.1", port=int(spec["port"]), user=spec["user"], dbname=spec["dbname"]
    )
    try:
        with pg, pg.cursor() as cursor:
            cursor.execute(f"drop schema if exists {schema} cascade")
            cursor.execute(f"create schema {schema}")
            for table, csv in files.items():
                columns = ", ".join(f"{column} text" for column in RAW_TABLES[table])
                cursor.execute(f"create table {schema}.{table} ({columns})")
                with csv.open() as handle:
                    cursor.copy_expert(
                        f"copy {schema}.{table} from stdin with (format csv, header true)", handle
                    )
        pg.autocommit = True
        with pg.cursor() as cursor:
            for table in files:
                cursor.execute(f"analyze {schema}.{table}")
    finally:
        pg.close()
    copy_s = time.time() - started
    shutil.rmtree(folder, ignore_errors=True)
    return {
        "breakdown": {
            "csv_s": round(convert_s, 3),
            "copy_s": round(copy_s, 3),
            "tables": len(files),
        }
    }


CHILDREN: dict[str, Callable[[Mapping[str, Any]], dict[str, Any]]] = {
    "build": _child_build,
    "parse": _child_parse,
    "raw_sql": _child_raw_sql,
    "generate": _child_generate,
    "append": _child_append,
    "pandas": _child_pandas,
    "pg_load": _child_pg_load,
}


def child_main(spec_text: str) -> int:
    """Entry point of a measured child: do one thing, write what it saw as JSON."""
    spec = json.loads(spec_text)
    _limit_duckdb_threads()
    result_file = Path(spec["result_file"])
    try:
        result = CHILDREN[spec["kind"]](spec)
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, then re-raised
        result_file.write_text(json.dumps({"ok": False, "error": f"{type(exc).__name__}: {exc}"}))
        raise
    result_file.write_text(json.dumps({"ok": True, **result}))
    return 0


# --------------------------------------------------------------------------- the benchmark


def _scale_name(scale: float) -> str:
    return f"{scale:g}"


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


def _pick_scale(scales: Sequence[float], wanted: float) -> float | None:
    """`wanted` if requested, else the largest requested scale below it (a smaller
    machine or a quick run), else none."""
    below = [scale for scale in scales if scale <= wanted]
    return max(below) if below else None


class Bench:
    """One `gtm bench` run: measurements in order, written out as they come."""

    def __init__(self, options: Options, work: Path, echo: Callable[[str], None]) -> None:
        self.options, self.work, self.echo = options, work, echo
        self.data = options.data or work / "data"
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
        self.echo(f"  {name} (scale {_scale_name(scale)}): {status}")
        for run in runs:
            if run.error:
                self.echo(f"    error: {run.error.strip().splitlines()[-1][:300]}")
        return entry

    def save(self) -> None:
        """Write bench.json and bench.md as they stand (a long run can be read midway)."""
        out = self.options.out
        out.mkdir(parents=True, exist_ok=True)
        self.report["goals"] = evaluate_goals(self.report)
        for name, text in (
            ("bench.json", json.dumps(self.report, indent=1, default=str) + "\n"),
            ("bench.md", render_markdown(self.report)),
        ):
            temporary = out / f".{name}.tmp"
            temporary.write_text(text)
            os.replace(temporary, out / name)

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
            run = measure(
                spec,
                work=self.work,
                log=folder / f"run{number}.log",
                timeout_s=self.options.timeout_s,
                **kwargs,
            )
            if after_each is not None:
                after_each(number, run)
            runs.append(run)
        return runs

    # ------------------------------------------------------------------ steps

    def data_dir(self, scale: float) -> Path:
        """The raw directory of a scale: generated (and measured) unless already there."""
        folder = self.data / f"scale-{_scale_name(scale)}"
        marker = folder / DATA_MARKER
        if marker.exists():
            known = json.loads(marker.read_text())
            if known.get("seed") == self.options.seed and known.get("scale") == scale:
                self.report["notes"].append(
                    f"scale {_scale_name(scale)}: reused the raw data in {folder}"
                )
                return folder
        if folder.exists():
            shutil.rmtree(folder)
        spec = {"kind": "generate", "out": str(folder), "seed": self.options.seed, "scale": scale}
        run = measure(
            spec,
            work=self.work,
            log=self.work / "logs" / f"generate-{scale:g}.log",
            timeout_s=self.options.timeout_s,
        )
        self._add("generate raw data (Parquet)", scale, [run])
        if not run.ok:
            raise GtmError(f"could not generate scale {scale:g}: {run.error}")
        return folder

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
    ) -> tuple[list[Run], Path, Path]:
        """A warm-up `dbt parse` (recorded as the cold parse) then `runs` builds of the
        warehouse at WORK/<key>/gtm.duckdb; `prepare(warehouse)` runs before each."""
        folder = self.work / key
        target, logs = folder / "dbt_target", folder / "dbt_logs"
        warehouse = folder / "warehouse" / "gtm.duckdb"
        warehouse.parent.mkdir(parents=True, exist_ok=True)
        dbt_env = {"DBT_TARGET_PATH": str(target), "DBT_LOG_PATH": str(logs), **(env or {})}
        work_file = warehouse.with_name(f".{warehouse.stem}.work{warehouse.suffix}")
        common = {"raw_dir": str(raw_dir), "threads": self.options.threads}
        parse = measure(
            {"kind": "parse", "duckdb_path": str(work_file), **common},
            work=self.work,
            log=folder / "parse.log",
            env=dbt_env,
            timeout_s=self.options.timeout_s,
        )
        if parse.ok and parse.result.get("invokes"):
            invoke = parse.result["invokes"][0]
            parse.result["breakdown"] = {"parse_s": round(invoke["end"] - invoke["start"], 3)}
        self._add(f"{label}: dbt parse, cold (no partial-parse state)", scale, [parse])
        spec = {"kind": "build", "warehouse": str(warehouse), **common}

        def before() -> None:
            (target / "run_results.json").unlink(missing_ok=True)
            if prepare is not None:
                prepare(warehouse)

        def split(number: int, run: Run) -> None:
            # Each build rewrites run_results.json: read it before the next one starts.
            results_path = target / "run_results.json"
            if not results_path.exists():
                return
            shutil.copy(results_path, folder / f"run{number}.run_results.json")
            if run.ok:
                run.result["breakdown"] = breakdown(
                    run.result, json.loads(results_path.read_text())
                )

        runs_done = self._measure_runs(
            spec,
            folder,
            runs or self.options.runs,
            before_each=before,
            after_each=split,
            env=dbt_env,
            spill_dir=warehouse.parent if spill else None,
        )
        return runs_done, warehouse, target

    def _fresh(self, warehouse: Path) -> None:
        # A full build: no published file, so nothing to build incrementally on.
        for path in warehouse.parent.glob("*"):
            if path.is_file():
                path.unlink()
            else:
                shutil.rmtree(path)

    def run_scale(self, scale: float) -> None:
        options, name = self.options, _scale_name(scale)
        self.echo(f"scale {name}")
        raw_dir = self.data_dir(scale)
        # raw_sql needs the full build's manifest, incremental its warehouse; pandas only
        # uses the warehouse to check its figures, so it does not ask for a build.
        need_build = {"raw_sql", "incremental"} - options.skip
        warehouse = target = None
        if "full" not in options.skip or need_build:
            runs = options.runs if "full" not in options.skip else 1
            label = "full build" if "full" not in options.skip else "full build (preparation)"
            builds, warehouse, target = self._builds(
                label, f"full-{name}", scale, raw_dir, prepare=self._fresh, runs=runs
            )
            self._add(
                f"{label}: gtm build",
                scale,
                builds,
                role="full" if "full" not in options.skip else "preparation",
            )
            if not all(run.ok for run in builds):
                warehouse = None
            results = target / "run_results.json"
            if results.exists():
                self.report["slowest_nodes"][name] = slowest_nodes(json.loads(results.read_text()))
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
            self._add(
                f"full build, DuckDB memory_limit {limit}: gtm build",
                scale,
                builds,
                role="memory",
                memory_limit=limit,
            )
            shutil.rmtree(memory_warehouse.parent, ignore_errors=True)
        if warehouse is not None and target is not None:
            if "raw_sql" not in options.skip:
                self.raw_sql(scale, target / "manifest.json")
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

    def raw_sql(self, scale: float, manifest: Path) -> None:
        folder = self.work / f"raw-sql-{_scale_name(scale)}"
        spec = {"kind": "raw_sql", "manifest": str(manifest), "folder": str(folder / "db")}
        runs = self._measure_runs(
            spec,
            folder,
            self.options.runs,
            before_each=lambda: shutil.rmtree(folder / "db", ignore_errors=True),
        )
        slowest = next((run.result.get("slowest") for run in reversed(runs) if run.ok), [])
        self._add(
            "the limit: compiled SQL in one DuckDB connection, no dbt",
            scale,
            runs,
            role="raw_sql",
            slowest=slowest,
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
        folder = self.work / f"pandas-{_scale_name(scale)}"
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
        name = _scale_name(scale)
        base = self.work / f"incremental-base-{name}.duckdb"
        shutil.copyfile(warehouse, base)
        increment_dir = self.data / f"scale-{name}-plus-increment"
        spec = {
            "kind": "append",
            "source": str(raw_dir),
            "target": str(increment_dir),
            "fraction": self.options.increment,
        }
        append = measure(
            spec,
            work=self.work,
            log=self.work / "logs" / f"append-{name}.log",
            timeout_s=self.options.timeout_s,
        )
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

        builds, inc_warehouse, inc_target = self._builds(
            "incremental build", f"incremental-{name}", scale, increment_dir, prepare=restore
        )
        self._add(
            "incremental build after the new events: gtm build",
            scale,
            builds,
            role="incremental",
            incremental_models=_incremental_models(inc_target / "manifest.json"),
        )
        shutil.rmtree(inc_warehouse.parent, ignore_errors=True)
        shutil.rmtree(increment_dir, ignore_errors=True)
        base.unlink(missing_ok=True)

    def postgres(self, scale: float, raw_dir: Path, duckdb_warehouse: Path | None) -> None:
        from gtm_analytics.pg_server import DATABASE, USER, throwaway_postgres

        folder = self.work / f"postgres-{_scale_name(scale)}"
        try:
            server_cm = throwaway_postgres()
            server = server_cm.__enter__()
        except GtmError as exc:
            self.report["notes"].append(f"PostgreSQL was skipped: {exc}")
            self.echo(f"  PostgreSQL skipped: {exc}")
            return
        try:
            self.report["machine"]["versions"]["postgresql"] = server.version()
            env = {
                **server.env,
                "DBT_TARGET_PATH": str(folder / "dbt_target"),
                "DBT_LOG_PATH": str(folder / "dbt_logs"),
            }
            build_spec = {
                "target": "postgres",
                "vars": {"raw_schema": RAW_SCHEMA},
                "threads": self.options.threads,
            }
            # As for DuckDB: the first parse is measured apart, the builds reuse it.
            parse = measure(
                {"kind": "parse", "duckdb_path": str(folder / "unused.duckdb"), **build_spec},
                work=self.work,
                log=folder / "parse.log",
                env=env,
                timeout_s=self.options.timeout_s,
            )
            if parse.ok and parse.result.get("invokes"):
                invoke = parse.result["invokes"][0]
                parse.result["breakdown"] = {"parse_s": round(invoke["end"] - invoke["start"], 3)}
            self._add("PostgreSQL: dbt parse, cold (no partial-parse state)", scale, [parse])
            loads, builds = [], []
            for number in range(1, self.options.runs + 1):
                _recreate_database(server.port, USER, DATABASE)
                (folder / "dbt_target" / "run_results.json").unlink(missing_ok=True)
                loads.append(
                    measure(
                        {
                            "kind": "pg_load",
                            "raw_dir": str(raw_dir),
                            "folder": str(folder / "csv"),
                            "schema": RAW_SCHEMA,
                            "port": server.port,
                            "user": USER,
                            "dbname": DATABASE,
                        },
                        work=self.work,
                        log=folder / f"load{number}.log",
                        server_pid=server.postmaster_pid,
                        timeout_s=self.options.timeout_s,
                    )
                )
                if not loads[-1].ok:
                    break
                run = measure(
                    {
                        "kind": "build",
                        "warehouse": str(folder / "lock" / "gtm.duckdb"),
                        **build_spec,
                    },
                    work=self.work,
                    log=folder / f"build{number}.log",
                    env=env,
                    server_pid=server.postmaster_pid,
                    timeout_s=self.options.timeout_s,
                )
                results_path = folder / "dbt_target" / "run_results.json"
                if run.ok:
                    run_results = json.loads(results_path.read_text())
                    run.result["breakdown"] = breakdown(run.result, run_results)
                    self.report["slowest_nodes"][f"postgres {_scale_name(scale)}"] = slowest_nodes(
                        run_results
                    )
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
            self._add(
                "PostgreSQL: gtm build --target postgres --var raw_schema=...",
                scale,
                builds,
                role="postgres",
                check=check,
            )
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


def _incremental_models(manifest: Path) -> list[str]:
    """The models a build could update incrementally (none: every build is a full one)."""
    if not manifest.exists():
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


# --------------------------------------------------------------------------- checks


def _same(left: Any, right: Any) -> bool:
    if left is None or right is None:
        return left is None and right is None
    if isinstance(left, float) or isinstance(right, float):
        import math

        return math.isclose(float(left), float(right), rel_tol=1e-9, abs_tol=1e-12)
    if isinstance(left, int | float) and isinstance(right, int | float):
        return left == right
    try:
        from decimal import Decimal

        if isinstance(left, Decimal) or isinstance(right, Decimal):
            return Decimal(str(left)) == Decimal(str(right))
    except ArithmeticError:
        return False
    return str(left) == str(right)


def _compare_rows(
    left: Mapping[Any, Mapping[str, Any]],
    right: Mapping[Any, Mapping[str, Any]],
    columns: Sequence[str],
) -> dict[str, Any]:
    differences: dict[str, int] = {}
    examples: list[str] = []
    for key in sorted(set(left) | set(right), key=str):
        if key not in left or key not in right:
            differences["(missing rows)"] = differences.get("(missing rows)", 0) + 1
            continue
        for column in columns:
            if not _same(left[key].get(column), right[key].get(column)):
                differences[column] = differences.get(column, 0) + 1
                if len(examples) < 5:
                    examples.append(
                        f"{key} {column}: {left[key].get(column)!r} vs {right[key].get(column)!r}"
                    )
    return {
        "rows": len(set(left) | set(right)),
        "equal": not differences,
        "differences": differences,
        "examples": examples,
    }


def mart_sequence_metrics(warehouse: Path) -> dict[str, dict[str, Any]]:
    """The figures the pandas script computes, read from the marts of a warehouse."""
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        cursor = con.execute(
            "select p.sequence_id, p.sequence_name, p.total_enrollments, "
            "coalesce(f.emails_sent, 0) as emails_sent, p.opened_count, p.clicked_count, "
            "p.replied_count, p.meeting_count, p.opened_rate, p.clicked_rate, p.replied_rate, "
            "p.meeting_rate "
            "from marts.sequence_performance as p left join ("
            "  select sequence_id, sum(emails_sent) as emails_sent"
            "  from marts.fct_sequence_enrollments where is_started group by sequence_id"
            ") as f on p.sequence_id = f.sequence_id"
        )
        names = [column[0] for column in cursor.description]
        return {row[0]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}
    finally:
        con.close()


def compare_pandas_with_mart(pandas_out: Path, warehouse: Path) -> dict[str, Any]:
    """Every figure of the pandas script's output against the marts."""
    import pyarrow.parquet as pq

    rows = pq.read_table(pandas_out).to_pylist()
    computed = {row["sequence_id"]: row for row in rows}
    result = _compare_rows(mart_sequence_metrics(warehouse), computed, PANDAS_COLUMNS)
    return {"check": "pandas script = sequence_performance mart", **result}


def compare_postgres_with_duckdb(
    port: int, user: str, database: str, warehouse: Path
) -> dict[str, Any]:
    """sequence_performance built on PostgreSQL against DuckDB's, every column."""
    import duckdb
    import psycopg2

    con = psycopg2.connect(host="127.0.0.1", port=port, user=user, dbname=database)
    try:
        with con.cursor() as cursor:
            cursor.execute("select * from marts.sequence_performance")
            names = [column.name for column in cursor.description]
            postgres = {row[0]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}
    finally:
        con.close()
    duck = duckdb.connect(str(warehouse), read_only=True)
    try:
        cursor = duck.execute("select * from marts.sequence_performance")
        duck_names = [column[0] for column in cursor.description]
        reference = {row[0]: dict(zip(duck_names, row, strict=True)) for row in cursor.fetchall()}
    finally:
        duck.close()
    columns = [name for name in duck_names if name in names and name != "created_at"]
    result = _compare_rows(reference, postgres, columns)
    return {"check": "sequence_performance on PostgreSQL = on DuckDB", **result}


# --------------------------------------------------------------------------- goals, report


def _find(report: Mapping[str, Any], role: str, scale: float | None = None) -> dict | None:
    for entry in report.get("measurements", []):
        if entry.get("role") == role and (scale is None or entry["scale"] == scale):
            return entry
    return None


def _median(entry: Mapping[str, Any] | None, key: str = "wall_s") -> float | None:
    if not entry:
        return None
    return entry.get("summary", {}).get(key, {}).get("median")


def evaluate_goals(report: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The issue's goals against what was measured (met: null when not measured)."""
    goals: list[dict[str, Any]] = []

    def goal(text: str, target: str, measured: str | None, met: bool | None) -> None:
        goals.append({"goal": text, "target": target, "measured": measured, "met": met})

    for scale, limit in GOAL_FULL_BUILD_S.items():
        wall = _median(_find(report, "full", scale))
        goal(
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
        "peak RSS of the builds",
        "<= 8 GiB",
        f"{max(peaks) / 1024**3:.2f} GiB" if peaks else None,
        (max(peaks) <= GOAL_PEAK_RSS_BYTES) if peaks else None,
    )
    memory = _find(report, "memory")
    if memory is not None:
        spilled = [run.get("peak_spill_bytes") or 0 for run in memory["runs"]]
        goal(
            f"completes at memory_limit = '{memory.get('memory_limit')}' "
            f"(scale {memory['scale']:g})",
            "every run passes",
            f"{sum(run['ok'] for run in memory['runs'])} of {len(memory['runs'])} passed, "
            f"spilled up to {max(spilled) / 1024**2:.0f} MiB",
            memory["ok"],
        )
    else:
        goal("completes at memory_limit = '2GB'", "every run passes", None, None)
    for entry in report.get("measurements", []):
        if entry.get("role") != "incremental":
            continue
        full = _median(_find(report, "full", entry["scale"]))
        inc = _median(entry)
        share = inc / full if inc is not None and full else None
        goal(
            f"incremental build after 1 % new events (scale {entry['scale']:g})",
            "<= 15 % of the full build",
            None if share is None else f"{share:.0%} ({inc:.1f} s vs {full:.1f} s)",
            None if share is None else share <= GOAL_INCREMENTAL_SHARE,
        )
    for entry in report.get("measurements", []):
        if entry.get("role") != "raw_sql":
            continue
        full = _median(_find(report, "full", entry["scale"]))
        raw = _median(entry)
        ratio = full / raw if full is not None and raw else None
        goal(
            f"dbt wall / raw-SQL wall (scale {entry['scale']:g})",
            f"<= {GOAL_DBT_OVER_RAW}",
            None if ratio is None else f"{ratio:.2f} ({full:.1f} s / {raw:.1f} s)",
            None if ratio is None else ratio <= GOAL_DBT_OVER_RAW,
        )
    for role, label in (("pandas", "pandas script"), ("postgres", "PostgreSQL build")):
        for entry in report.get("measurements", []):
            if entry.get("role") != role:
                continue
            full = _median(_find(report, "full", entry["scale"]))
            other = _median(entry)
            if role == "postgres":
                load = _median(_find(report, "postgres_load", entry["scale"]))
                other = None if other is None else other + (load or 0.0)
            speedup = other / full if other is not None and full else None
            goal(
                f"faster than the {label} (scale {entry['scale']:g})",
                f">= {GOAL_SPEEDUP:g} x",
                None if speedup is None else f"{speedup:.2f} x ({other:.1f} s vs {full:.1f} s)",
                None if speedup is None else speedup >= GOAL_SPEEDUP,
            )
    return goals


def _seconds(value: float | None) -> str:
    if value is None:
        return "-"
    if value >= 600:
        return f"{value / 60:.1f} min"
    return f"{value:.1f} s" if value >= 10 else f"{value:.2f} s"


def _gib(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value / 1024**3:.2f} GiB" if value >= 1024**3 else f"{value / 1024**2:.0f} MiB"


def render_markdown(report: Mapping[str, Any]) -> str:
    """bench.md: the machine, one row per measurement, the goals."""
    machine = report["machine"]
    versions = machine.get("versions", {})
    lines = [
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
        notes = []
        if not entry.get("ok"):
            notes.append(f"**{sum(not run['ok'] for run in runs)} failed**")
        if "peak_spill_bytes" in summary:
            notes.append(f"spilled up to {_gib(summary['peak_spill_bytes']['max'])}")
        if "rows_added" in summary:
            notes.append(f"{int(summary['rows_added']['median']):,} rows added")
        if "csv_s" in summary:
            notes.append(
                f"CSV {_seconds(summary['csv_s']['median'])}, "
                f"COPY {_seconds(summary['copy_s']['median'])}"
            )
        if "compute_s" in summary:
            notes.append(f"compute {_seconds(summary['compute_s']['median'])}")
        check = entry.get("check")
        if check:
            notes.append(
                "figures equal"
                if check.get("equal")
                else f"**differs**: {check.get('differences')}"
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
        lines.append(
            f"| {entry['name']} | {_scale_name(entry['scale'])} | {len(runs)} "
            f"| {_seconds(wall.get('median'))} "
            f"| {_seconds(wall.get('min'))} - {_seconds(wall.get('max'))} "
            f"| {_seconds(summary.get('cpu_s', {}).get('median'))} "
            f"| {_gib(max(peaks) if peaks else None)} "
            f"| {_seconds(summary.get('parse_s', {}).get('median'))} "
            f"| {_seconds(summary.get('models_s', {}).get('median'))} "
            f"| {_seconds(summary.get('tests_s', {}).get('median'))} "
            f"| {'; '.join(notes)} |"
        )
    lines += [
        "",
        "## Goals (issue 6)",
        "",
        "| goal | target | measured | met |",
        "|---|---|---|---|",
    ]
    for item in report.get("goals", []):
        met = {True: "yes", False: "**no**", None: "not measured"}[item["met"]]
        lines.append(f"| {item['goal']} | {item['target']} | {item['measured'] or '-'} | {met} |")
    for name, nodes in report.get("slowest_nodes", {}).items():
        lines += [
            "",
            f"## Slowest nodes, scale {name} (last build)",
            "",
            "| node | seconds |",
            "|---|--:|",
        ]
        lines += [f"| {node['node']} | {node['seconds']:.2f} |" for node in nodes]
    if report.get("notes"):
        lines += ["", "## Notes", ""] + [f"* {note}" for note in report["notes"]]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- entry point


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
        f"{entry['name']} (scale {_scale_name(entry['scale'])})"
        for entry in report["measurements"]
        if not entry["ok"]
    ]
    if failed:
        raise GtmError(
            f"{len(failed)} measurements failed (see {options.out / 'bench.json'}): "
            + "; ".join(failed)
        )
    return report


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        sys.exit(child_main(sys.argv[2]))
    sys.exit("usage: gtm bench (this module's command line is for its own child processes)")
