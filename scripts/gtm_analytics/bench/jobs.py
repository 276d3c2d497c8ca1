"""The child side of `gtm bench`: each measured process runs one job of `JOBS`.

`python -m gtm_analytics.bench --child SPEC` calls `child_main(SPEC)`: SPEC is JSON with
the job's `kind`, its arguments and `result_file`, where the job's outcome goes as JSON
(`ok`, `error`, and what the job reports: `breakdown` numbers, per-node seconds, ...).
Nothing here measures: the parent (`measure`) times the whole process.

DuckDB threads: a job that opens DuckDB itself takes `duckdb_threads` from its spec
(null: DuckDB's default, one thread per core). dbt's connections get theirs from the
committed profiles.yml, which reads GTM_DUCKDB_THREADS: `gtm build` sets it (the usable
cores shared among dbt's threads), and the parse job sets it the same way, so that the
builds find the parse's state unchanged.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from gtm_analytics.errors import GtmError
from gtm_analytics.paths import project_dir
from gtm_analytics.processes import shared_cores

# The tables that get new rows in the incremental measurement, each with its key and its
# time column: the event-heavy tables the incremental models cover.
INCREMENT_TABLES = {
    "email_events": ("event_id", "occurred_at"),
    "marketing_email_events": ("event_id", "occurred_at"),
    "asset_clicks": ("click_id", "clicked_at"),
    "form_submissions": ("submission_id", "submitted_at"),
    "web_sessions": ("session_id", "started_at"),
}


def _connect(database: str = ":memory:", threads: int | None = None) -> Any:
    """A DuckDB connection in UTC, with `threads` worker threads when given."""
    import duckdb

    con = duckdb.connect(database, config={"threads": threads} if threads else {})
    con.execute("SET TimeZone = 'UTC'")
    return con


def _literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def quoted(*names: str) -> str:
    """A qualified SQL identifier: "a"."b"."c"."""
    return ".".join('"' + name.replace('"', '""') + '"' for name in names)


# --------------------------------------------------------------------------- dbt jobs


def _dbt_target_path() -> Path:
    """Where dbt writes its artifacts in this process (DBT_TARGET_PATH, else target/)."""
    configured = Path(os.environ.get("DBT_TARGET_PATH") or "target")
    return configured if configured.is_absolute() else project_dir() / configured


def record_dbt_events(artifacts_out: Path | None = None) -> list[dict[str, Any]]:
    """Make every dbtRunner of this process note when each invoke started and ended and
    when each kind of dbt event first fired (parse done, execution start and end).

    With `artifacts_out`, the run_results.json and manifest.json of the first `dbt build`
    are copied into that folder as soon as that invoke returns: the build's later dbt
    calls (`docs generate`, `show`) write their own over them, and the docs' manifest
    compiles the incremental models against the tables the build left."""
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
                first_build = args[:1] == ["build"] and not any(
                    done["args"] == ["build"] for done in invokes
                )
                invokes.append(record)
                if artifacts_out is not None and first_build:
                    _keep_artifacts(artifacts_out)

    dbt_main.dbtRunner = TimedRunner
    return invokes


def _keep_artifacts(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("run_results.json", "manifest.json"):
        source = _dbt_target_path() / name
        if source.exists():
            shutil.copyfile(source, folder / name)


def _job_build(spec: Mapping[str, Any]) -> dict[str, Any]:
    """`gtm build` through its function, as the command runs it (docs per `docs`)."""
    out = Path(spec["artifacts_out"]) if spec.get("artifacts_out") else None
    invokes = record_dbt_events(out)
    from gtm_analytics import build as build_module

    raw_dir = Path(spec["raw_dir"]) if spec.get("raw_dir") else None
    started = time.time()
    try:
        build_module.build(
            warehouse=Path(spec["warehouse"]),
            raw_dir=raw_dir,
            dbt_vars=spec.get("vars") or {},
            threads=spec.get("threads"),
            target=spec.get("target"),
            docs=bool(spec.get("docs", False)),
        )
    finally:
        call_s = time.time() - started
    return {"invokes": invokes, "call_s": call_s}


def _job_parse(spec: Mapping[str, Any]) -> dict[str, Any]:
    """`dbt parse` with the build's vars and profile: leaves dbt's partial-parse state in
    the target folder, as the first of a user's builds would."""
    invokes = record_dbt_events()
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
    with shared_cores(spec.get("threads")):
        result = dbtRunner().invoke(args)
    if not result.success:
        raise GtmError(f"dbt parse failed: {result.exception}")
    return {"invokes": invokes, "call_s": time.time() - started}


# --------------------------------------------------------------------------- without dbt


def topological(nodes: Mapping[str, Mapping[str, Any]]) -> list[str]:
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


def _job_raw_sql(spec: Mapping[str, Any]) -> dict[str, Any]:
    """The limit: every model's compiled SQL as `create table/view ... as`, in dependency
    order, in one DuckDB connection; then every data test's query (counted, as dbt
    does). Unit tests are left out: they run on fixtures, not on the data. Reports each
    node's seconds under its manifest id."""
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
    con = _connect(str(path), spec.get("duckdb_threads"))
    node_seconds: dict[str, float] = {}
    started = time.time()
    try:
        if spec.get("memory_limit"):
            con.execute(f"SET memory_limit = '{spec['memory_limit']}'")
        schemas = sorted({node["schema"] for node in models.values()})
        for schema in schemas:
            con.execute(f"create schema if not exists {quoted(database, schema)}")
        for node_id in topological(models):
            node = models[node_id]
            kind = "view" if node["config"].get("materialized") == "view" else "table"
            relation = quoted(node["database"], node["schema"], node["alias"] or node["name"])
            node_started = time.time()
            con.execute(f"create or replace {kind} {relation} as\n{node['compiled_code']}")
            node_seconds[node_id] = time.time() - node_started
        models_s = time.time() - started
        tests_started = time.time()
        tests = 0
        if spec.get("tests", True):
            for node_id, node in manifest["nodes"].items():
                if node["resource_type"] == "test" and node.get("compiled_code"):
                    node_started = time.time()
                    con.execute(
                        f"select count(*) from (\n{node['compiled_code']}\n) as dbt_test"
                    ).fetchall()
                    node_seconds[node_id] = time.time() - node_started
                    tests += 1
        tests_s = time.time() - tests_started
        con.execute("checkpoint")
    finally:
        con.close()
    return {
        "breakdown": {
            "models_s": round(models_s, 3),
            "tests_s": round(tests_s, 3),
            "models": len(models),
            "data_tests": tests,
        },
        "node_seconds": {node_id: round(s, 3) for node_id, s in node_seconds.items()},
    }


def _job_floor(spec: Mapping[str, Any]) -> dict[str, Any]:
    """The plain-DuckDB floor: every raw Parquet file loaded into a typed in-memory table
    (`create table t as select * from read_parquet(...)`) in one connection with
    `threads` threads; `load_s` is the loop alone, as the scale check times it."""
    import duckdb

    raw_dir = Path(spec["raw_dir"])
    files = sorted(raw_dir.glob("*.parquet"))
    if not files:
        raise GtmError(f"no Parquet files in {raw_dir}")
    con = duckdb.connect()
    try:
        con.execute(f"set threads={int(spec['threads'])}")
        started = time.perf_counter()
        for path in files:
            con.execute(
                f"create table {quoted(path.stem)} as select * from read_parquet({_literal(path)})"
            )
        load_s = time.perf_counter() - started
        rows = sum(
            con.execute(f"select count(*) from {quoted(path.stem)}").fetchall()[0][0]
            for path in files
        )
    finally:
        con.close()
    return {"breakdown": {"load_s": round(load_s, 3), "tables": len(files), "rows": rows}}


# --------------------------------------------------------------------------- data


def _job_generate(spec: Mapping[str, Any]) -> dict[str, Any]:
    from gtm_analytics.generate import generate

    counts = generate(
        Path(spec["out"]),
        seed=spec["seed"],
        scale=spec["scale"],
        fmt="parquet",
        threads=spec.get("duckdb_threads"),
    )
    return {"breakdown": {"rows": sum(counts.values())}, "counts": counts}


def _job_append(spec: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of a raw directory with new events: for each table of INCREMENT_TABLES, a
    `fraction` of its rows, picked by a hash of the key, again with a new key and a time
    in the day after the latest instant of those tables (page views follow their new
    session). Other files are hard links to the originals."""
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
    con = _connect(threads=spec.get("duckdb_threads"))

    def file(table: str, folder: Path = source) -> str:
        return _literal(folder / f"{table}.parquet")

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
    base_rows = sum(
        con.execute(f"select count(*) from read_parquet({file(t)})").fetchall()[0][0]
        for t in sorted(changed)
    )
    con.close()
    return {
        "breakdown": {"rows_added": sum(added.values()), "rows_before": base_rows},
        "added": added,
    }


# --------------------------------------------------------------------------- alternatives


def _job_pandas(spec: Mapping[str, Any]) -> dict[str, Any]:
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


def _job_pg_load(spec: Mapping[str, Any]) -> dict[str, Any]:
    """Load every raw Parquet file into schema `schema` of PostgreSQL, every column as
    text: DuckDB writes each file as CSV, psycopg2 COPYs it in; then ANALYZE, as a
    loader would, so that the planner knows the tables' sizes."""
    import psycopg2

    from gtm_analytics.raw_tables import RAW_TABLES

    raw_dir, folder = Path(spec["raw_dir"]), Path(spec["folder"])
    folder.mkdir(parents=True, exist_ok=True)
    schema = spec["schema"]
    started = time.time()
    con = _connect(threads=spec.get("duckdb_threads"))
    files: dict[str, Path] = {}
    for table, columns in RAW_TABLES.items():
        source = raw_dir / f"{table}.parquet"
        if not source.exists():
            continue
        csv = folder / f"{table}.csv"
        select = ", ".join(f"cast({column} as varchar) as {column}" for column in columns)
        con.execute(
            f"copy (select {select} from read_parquet({_literal(source)})) "
            f"to {_literal(csv)} (header, delimiter ',')"
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


JOBS: dict[str, Callable[[Mapping[str, Any]], dict[str, Any]]] = {
    "build": _job_build,
    "parse": _job_parse,
    "raw_sql": _job_raw_sql,
    "floor": _job_floor,
    "generate": _job_generate,
    "append": _job_append,
    "pandas": _job_pandas,
    "pg_load": _job_pg_load,
}


def child_main(spec_text: str) -> int:
    """Entry point of a measured child: do one job, write what it saw as JSON."""
    spec = json.loads(spec_text)
    result_file = Path(spec["result_file"])
    try:
        result = JOBS[spec["kind"]](spec)
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, then re-raised
        result_file.write_text(json.dumps({"ok": False, "error": f"{type(exc).__name__}: {exc}"}))
        raise
    result_file.write_text(json.dumps({"ok": True, **result}))
    return 0
