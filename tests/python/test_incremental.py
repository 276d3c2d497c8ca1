"""Incremental builds equal full refreshes.

One workspace (fixed raw, warehouse and dbt target paths, so dbt reuses its parse):

1. a full build of a demo-size raw directory (Parquet);
2. a batch appended to the raw files: new events, late events (inside the lookback
   window, older than the newest loaded), exact repeats of old events (before and
   inside the window), a session that turns two orphan page views into valid ones,
   later and earlier copies of contacts and enrollments with other content, and per
   windowed event table one orphan older than the window (it never reaches a mart,
   so it shows what the window leaves out without changing the marts);
3. an incremental `gtm build`, kept aside, then `gtm build --full-refresh` of the same
   input; every table in schema `marts` must be equal row for row, and the
   incremental one must really have been incremental.

A second test checks, without dbt, each reason `gtm build` has to refresh fully
instead (no published warehouse, other input, vars, version or project files, loaded
raw rows removed or rewritten) and that appended rows are no such reason.
"""

from __future__ import annotations

import decimal
import json
import math
import os
import shutil
from pathlib import Path

import duckdb
import pytest

from conftest import query
from hardening_support import Workspace

REL_TOL = 1e-9
ABS_TOL = 1e-12

# The incremental models (all staging), with their raw table and key.
WINDOWED = {
    "stg_hubspot__email_events": ("email_events", "event_id"),
    "stg_hubspot__marketing_email_events": ("marketing_email_events", "event_id"),
    "stg_hubspot__pageviews": ("pageviews", "pageview_id"),
    "stg_hubspot__web_sessions": ("web_sessions", "session_id"),
}

# raw table -> (key, event time, (foreign key, parent table, parent key) or None)
EVENT_TABLES = {
    "email_events": ("event_id", "occurred_at", ("email_id", "sequence_emails", "email_id")),
    "pageviews": ("pageview_id", "viewed_at", ("session_id", "web_sessions", "session_id")),
    "marketing_email_events": (
        "event_id",
        "occurred_at",
        ("contact_id", "contacts", "contact_id"),
    ),
    "web_sessions": ("session_id", "started_at", None),
}
CANARY_ID = "inc_canary_beyond_window"


def _literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _append(con: duckdb.DuckDBPyConnection, raw: Path, table: str, batch_sql: str) -> None:
    """Rewrite raw/<table>.parquet as its rows followed by the batch (`old` = its rows)."""
    path = raw / f"{table}.parquet"
    staged = raw.parent / f"{table}.next.parquet"
    con.execute(f"create or replace temp view old as select * from read_parquet({_literal(path)})")
    con.execute(
        f"copy (select * from old union all by name ({batch_sql})) "
        f"to {_literal(staged)} (format parquet)"
    )
    os.replace(staged, path)


def _event_batch(raw: Path, table: str) -> str:
    key, at, foreign = EVENT_TABLES[table]
    valid = "select * from old"
    canary = ""
    if foreign is not None:
        column, parent, parent_key = foreign
        parent_rows = f"read_parquet({_literal(raw / f'{parent}.parquet')})"
        valid += f" where {column} in (select {parent_key} from {parent_rows})"
        # Older than the window and an orphan: a full refresh stages and rejects it,
        # an incremental build never reads it; no mart sees it either way.
        canary = f"""
        union all by name
        select * replace (
            '{CANARY_ID}' as {key},
            '(unknown)' as {column},
            (select max({at}) from old) - interval 30 day as {at}
        )
        from (select * from old order by {key} limit 1)"""
    return f"""
        with latest as (select max({at}) as latest_at from old),
        picked as (
            select *, row_number() over (order by {key}) as n
            from (select distinct * from ({valid})) as valid
            order by {key}
            limit 40
        )
        -- new events, after the latest one loaded
        select * exclude (n, latest_at) replace (
            'inc_new_' || {key} as {key}, latest_at + n * interval 1 minute as {at}
        )
        from picked cross join latest where n <= 20
        union all by name
        -- late events: a day before the latest one loaded, inside the 3-day window
        select * exclude (n, latest_at) replace (
            'inc_late_' || {key} as {key},
            latest_at - interval 1 day - n * interval 1 minute as {at}
        )
        from picked cross join latest where n > 20
        union all by name
        -- exact repeats of loaded events: the oldest (before the window) and the newest
        (select * from old order by {at}, {key} limit 10)
        union all by name
        (select * from old order by {at} desc, {key} limit 10)
        {canary}"""


def _append_batch(raw: Path) -> None:
    con = duckdb.connect()
    try:
        pageviews = f"read_parquet({_literal(raw / 'pageviews.parquet')})"
        sessions_file = f"read_parquet({_literal(raw / 'web_sessions.parquet')})"
        # First, while page views are as generated: a late session for each session id
        # that orphan page views name, which makes those (already loaded) views valid.
        rescue = f"""
            union all by name
            select * replace (
                orphans.session_id as session_id,
                orphans.visitor_id as visitor_id,
                (select max(started_at) from old) - interval 1 day as started_at
            )
            from (select * from old order by session_id limit 1) as template
            cross join (
                select session_id, min(visitor_id) as visitor_id
                from {pageviews}
                where session_id not in (select session_id from {sessions_file})
                group by session_id
            ) as orphans"""
        _append(con, raw, "web_sessions", _event_batch(raw, "web_sessions") + rescue)
        for table in ("email_events", "pageviews", "marketing_email_events"):
            _append(con, raw, table, _event_batch(raw, table))
        # Tables with updated_at: a later copy with other content wins, an earlier loses.
        _append(
            con,
            raw,
            "contacts",
            """
            (select * replace ('customer' as lifecycle_stage, updated_at + interval 1 day
                as updated_at) from old order by contact_id limit 5)
            union all by name
            (select * replace ('(stale copy)' as lifecycle_stage, updated_at - interval 1 day
                as updated_at) from old order by contact_id desc limit 5)
            """,
        )
        _append(
            con,
            raw,
            "sequence_enrollments",
            """
            (select * replace ('PAUSED' as enrollment_state, updated_at + interval 1 hour
                as updated_at)
             from old where upper(trim(enrollment_state)) = 'EXECUTING'
             order by enrollment_id limit 5)
            union all by name
            (select * replace ('PAUSED' as enrollment_state, updated_at - interval 1 day
                as updated_at)
             from old where upper(trim(enrollment_state)) = 'FINISHED'
             order by enrollment_id limit 5)
            """,
        )
    finally:
        con.close()


# --------------------------------------------------------------------------- comparison


def _sort_key(row: tuple) -> tuple:
    key = []
    for value in row:
        if value is None:
            key.append((0, 0.0, ""))
        elif isinstance(value, bool | int | float | decimal.Decimal):
            # Rounded so that a last-bit difference cannot reorder rows.
            key.append((1, float(f"{float(value):.9g}"), ""))
        else:
            key.append((2, 0.0, str(value)))
    return tuple(key)


def _same(left: object, right: object) -> bool:
    if isinstance(left, float) and isinstance(right, float):
        return math.isclose(left, right, rel_tol=REL_TOL, abs_tol=ABS_TOL)
    return type(left) is type(right) and left == right


def _marts(warehouse: Path) -> dict[str, tuple[list[str], list[tuple]]]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        names = [
            row[0]
            for row in con.execute(
                "select table_name from information_schema.tables "
                "where table_schema = 'marts' order by table_name"
            ).fetchall()
        ]
        marts = {}
        for name in names:
            cursor = con.execute(f"select * from marts.{name}")
            columns = [column[0] for column in cursor.description]
            marts[name] = (columns, sorted(cursor.fetchall(), key=_sort_key))
        return marts
    finally:
        con.close()


def _differences(incremental: Path, full: Path) -> list[str]:
    left, right = _marts(incremental), _marts(full)
    problems = []
    if left.keys() != right.keys():
        problems.append(f"mart sets differ: {sorted(left.keys() ^ right.keys())}")
    for name in sorted(left.keys() & right.keys()):
        (left_columns, left_rows), (right_columns, right_rows) = left[name], right[name]
        if left_columns != right_columns:
            problems.append(f"{name}: columns {left_columns} != {right_columns}")
        elif len(left_rows) != len(right_rows):
            problems.append(f"{name}: {len(left_rows)} rows != {len(right_rows)}")
        else:
            for left_row, right_row in zip(left_rows, right_rows, strict=True):
                if not all(map(_same, left_row, right_row)):
                    problems.append(f"{name}: {left_row} != {right_row}")
                    break
    return problems


# --------------------------------------------------------------------------- the test


def _run_sql(workspace: Workspace, model: str) -> str:
    """What dbt executed for a model in the latest build (its target/run file)."""
    matches = list((workspace.root / "dbt_target" / "run").rglob(f"{model}.sql"))
    assert len(matches) == 1, f"no run file for {model}: {matches}"
    return matches[0].read_text().lower()


def _build_info(warehouse: Path) -> tuple[bool, str]:
    return query(warehouse, "select is_incremental, refresh_reason from audit.build_info")[0]


def _late_rows(warehouse: Path) -> dict[str, int]:
    return dict(
        query(
            warehouse, "select table_name, late_rows_not_loaded from audit.audit_raw_table_counts"
        )
    )


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory, raw_parquet_dir: Path) -> Workspace:
    workspace = Workspace(tmp_path_factory.mktemp("incremental"))
    workspace.fresh_raw(raw_parquet_dir)
    return workspace


def test_incremental_build_equals_full_refresh(workspace: Workspace) -> None:
    first = workspace.build()
    assert first.returncode == 0, first.output
    assert "full refresh: no published warehouse" in first.stdout, first.stdout
    assert _build_info(workspace.warehouse)[0] is False
    rescued = [
        row[0]
        for row in query(
            workspace.warehouse,
            "select row_key from audit.audit_rejected_rows where table_name = 'pageviews'",
        )
    ]
    assert rescued, "the demo data has orphan page views"

    _append_batch(workspace.raw)
    incremental = workspace.build()
    assert incremental.returncode == 0, incremental.output
    assert "incremental build" in incremental.stdout, incremental.stdout
    assert _build_info(workspace.warehouse) == (True, None)
    # dbt inserted into the tables it already had instead of creating them again ...
    for model in WINDOWED:
        executed = _run_sql(workspace, model)
        assert executed.lstrip().startswith("insert into"), f"{model}:\n{executed[:300]}"
    # ... and the windowed models did not read the rows before their window: the canary
    # orphans are missing, reported as late rows, and only a full refresh loads them.
    late = _late_rows(workspace.warehouse)
    assert late == {
        **dict.fromkeys(late, 0),
        "email_events": 1,
        "pageviews": 1,
        "marketing_email_events": 1,
    }, late
    assert "older than the incremental lookback window" in incremental.stdout
    incremental_copy = workspace.root / "incremental.duckdb"
    shutil.copyfile(workspace.warehouse, incremental_copy)

    full = workspace.build("--full-refresh")
    assert full.returncode == 0, full.output
    assert "full refresh: --full-refresh" in full.stdout, full.stdout
    assert _build_info(workspace.warehouse) == (False, "--full-refresh")
    assert set(_late_rows(workspace.warehouse).values()) == {0}
    for model in WINDOWED:
        assert "insert into" not in _run_sql(workspace, model)[:200], model

    for model, (table, key) in WINDOWED.items():
        sql = f"select count(*) from staging.{model} where {key} = '{CANARY_ID}'"
        expected = 1 if table != "web_sessions" else 0
        assert query(workspace.warehouse, sql) == [(expected,)], model
        assert query(incremental_copy, sql) == [(0,)], model

    assert _differences(incremental_copy, workspace.warehouse) == []
    # The page views that the late session made valid were loaded in the first build
    # and reach the intermediate layer only now (int_pageviews_normalized reads the
    # staged rows that are not rejected: the late session's arrival un-rejected them).
    keys = ", ".join(repr(key) for key in rescued)
    usable = query(
        incremental_copy,
        f"select count(*) from staging.stg_hubspot__pageviews where pageview_id in ({keys}) "
        "and pageview_id not in (select row_key from audit.audit_rejected_rows "
        "where table_name = 'pageviews')",
    )
    assert usable == [(len(rescued),)]


# --------------------------------------------------------------------------- when to refresh


def _published_fixture(folder: Path) -> tuple[Path, Path, dict]:
    """A published warehouse as a build leaves it (build_info, one incremental staging
    table) and the raw directory it was built from, without running dbt."""
    from gtm_analytics.build import DEFAULT_STORAGE_VERSION, _build_info, _raw_digests

    raw = folder / "raw"
    raw.mkdir()
    warehouse = folder / "gtm.duckdb"
    # in the storage format a build writes (another one would call for a full refresh)
    con = duckdb.connect(
        str(warehouse), config={"storage_compatibility_version": DEFAULT_STORAGE_VERSION}
    )
    try:
        con.execute(
            f"copy (select * from (values ('e1', 'm1', 'OPEN', timestamptz '2025-03-01 10:00:00Z', "
            "null, null, false), ('e2', 'm1', 'CLICK', timestamptz '2025-03-02 10:00:00Z', "
            "'https://x.test', null, null)) as t(event_id, email_id, event_type, occurred_at, "
            f"url, bounce_type, is_bot)) to {_literal(raw / 'email_events.parquet')} "
            "(format parquet)"
        )
        con.execute("create schema staging")
        con.execute(
            "create table staging.stg_hubspot__email_events as "
            f"select * from read_parquet({_literal(raw / 'email_events.parquet')})"
        )
    finally:
        con.close()
    info = _build_info(raw, {"meeting_window_days": 7})
    info["raw_digests"] = _raw_digests(raw, warehouse, ["email_events"])
    con = duckdb.connect(str(warehouse))
    try:
        con.execute("create schema audit")
        con.execute(
            "create table audit.build_info as select ? as input, ? as dbt_vars, "
            "? as gtm_version, ? as project_fingerprint, ? as raw_digests, "
            "? as intermediate_published",
            [
                info["input"],
                info["dbt_vars"],
                info["gtm_version"],
                info["project_fingerprint"],
                json.dumps(info["raw_digests"]),
                info["intermediate_published"],
            ],
        )
    finally:
        con.close()
    return warehouse, raw, info


def test_full_refresh_reasons(tmp_path: Path) -> None:
    """Each condition that makes the published warehouse no base for an incremental build,
    checked without dbt; and the changes an incremental build can take."""
    from gtm_analytics.build import _build_info, _full_refresh_reason

    warehouse, raw, info = _published_fixture(tmp_path)
    events = raw / "email_events.parquet"

    def reason(**changes: str) -> str | None:
        return _full_refresh_reason(warehouse, {**info, **changes}, raw)

    assert reason() is None
    assert "no published warehouse" in _full_refresh_reason(tmp_path / "none.duckdb", info, raw)
    assert "was built from" in reason(input=str(tmp_path / "other"))
    assert "other vars" in reason(dbt_vars=json.dumps({"meeting_window_days": 0}))
    # the lookback only decides how much is read, not what the models compute
    lookback = _build_info(raw, {"meeting_window_days": 7, "incremental_lookback_days": 30})
    assert reason(dbt_vars=lookback["dbt_vars"]) is None
    assert "gtm-analytics" in reason(gtm_version="0.0.0")
    assert "models, macros" in reason(project_fingerprint="0" * 64)
    # an incremental build would keep (or lack) the other build's intermediate copies
    assert "without --keep-intermediate" in reason(intermediate_published=True)

    def rewrite(sql: str) -> None:
        con = duckdb.connect()
        try:
            staged = tmp_path / "next.parquet"
            con.execute(
                f"copy ({sql.format(old=f'read_parquet({_literal(events)})')}) "
                f"to {_literal(staged)} (format parquet)"
            )
            os.replace(staged, events)
        finally:
            con.close()

    # appended: a new event, an exact repeat of a loaded one -> still incremental
    rewrite(
        "select * from {old} union all select * from {old} where event_id = 'e1' "
        "union all select * replace ('e3' as event_id) from {old} where event_id = 'e2'"
    )
    assert reason() is None
    # a loaded event rewritten (a later copy with other content) -> full refresh
    rewrite(
        "select * replace (case when event_id = 'e2' then 'OPEN' else event_type end "
        "as event_type) from {old}"
    )
    assert "email_events no longer holds" in reason()
    # a loaded event removed (the other one as loaded again) -> full refresh
    rewrite(
        "select * replace (case when event_id = 'e2' then 'CLICK' else event_type end "
        "as event_type) from {old} where event_id <> 'e1'"
    )
    assert "email_events no longer holds" in reason()
