"""Re-runs and time zones: the same input gives byte-identical marts whatever the
process's time zone, and `reporting_timezone` moves only day, week and month buckets.

The reference is the session's demo build (built in the test process's zone, UTC in
CI). Each build here rebuilds the same demo seeds in one workspace (dbt reuses its
parse) under another process `TZ`, and its exports - CSV and Parquet, every mart - must
be byte-identical to the reference's. The manifest is left out: it carries the build
time. The same builds check the volume history: equal inputs never warn.
"""

from __future__ import annotations

import time
from datetime import UTC
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pytest

from conftest import query
from hardening_support import Workspace, mart_digests, notes

# Columns that hold a day, week, month, weekday or hour in var('reporting_timezone').
BUCKET_COLUMNS = {
    "enrollment_date",
    "enrollment_week",
    "enrollment_month",
    "first_email_weekday",
    "first_email_weekday_name",
    "first_email_hour",
    "cohort_week",
    "activity_date",
    "activity_month",
}

# Marts with bucket columns, re-aggregated over the buckets: (group-by columns, summed
# columns). Sums over the buckets do not depend on the time zone.
REAGGREGATED = {
    "sequence_monthly": ((), ("enrollments", "opened_count", "replied_count", "meeting_count")),
    "sequence_reply_rate_by_send_time": (("sequence_id",), ("enrollments", "replied_count")),
    "sequence_enrollment_cohorts": (
        ("sequence_id", "days_since_enrollment"),
        ("cohort_enrollments", "observed_enrollments", "replied_count", "meeting_count"),
    ),
    "campaign_daily": (
        ("campaign_id",),
        ("sessions", "new_contacts_first_touch", "influenced_contacts", "spend"),
    ),
    "campaign_monthly": (
        ("campaign_id",),
        ("sessions", "new_contacts_first_touch", "influenced_contacts", "spend"),
    ),
}


def _other_zones() -> list[str]:
    zones = ["America/Los_Angeles", "Asia/Kolkata"]
    # The reference is built in this process's zone: add UTC when that is not UTC.
    if time.localtime().tm_gmtoff != 0 or time.daylight:
        zones.append("UTC")
    return zones


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory, demo_warehouse: Path) -> Workspace:
    workspace = Workspace(tmp_path_factory.mktemp("reruns"))
    workspace.publish_copy_of(demo_warehouse)
    return workspace


@pytest.fixture(scope="module")
def reference_digests(
    demo_warehouse: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, dict[str, str]]:
    out = tmp_path_factory.mktemp("reference_exports")
    return {fmt: mart_digests(demo_warehouse, out / fmt, fmt) for fmt in ("csv", "parquet")}


def _history(warehouse: Path) -> dict[int, dict[str, int]]:
    history: dict[int, dict[str, int]] = {}
    for build_number, table, rows in query(
        warehouse,
        "select build_number, table_name, raw_rows from audit.audit_raw_table_count_history",
    ):
        history.setdefault(build_number, {})[table] = rows
    return history


def _build_and_check_volume(
    workspace: Workspace, *extra: str, env: dict[str, str] | None = None
) -> None:
    """Build the demo seeds; the raw counts did not change, so no volume warning, and the
    history gains one build with the same counts."""
    before = _history(workspace.warehouse)
    result = workspace.build(*extra, raw=False, env=env)
    assert result.returncode == 0, result.output
    assert "Traceback" not in result.output
    assert not [note for note in notes(result) if "down from" in note], result.stdout
    after = _history(workspace.warehouse)
    assert sorted(after) == sorted(before) + [max(before) + 1]
    assert after[max(after)] == before[max(before)]


@pytest.mark.parametrize("zone", _other_zones())
def test_marts_are_byte_identical_across_builds_and_process_time_zones(
    zone: str,
    workspace: Workspace,
    reference_digests: dict[str, dict[str, str]],
    tmp_path: Path,
) -> None:
    # The unit tests run under one zone other than the reference's too (they pin
    # TimeZone themselves, but a zone leak would show up there first).
    extra = ("--unit-tests",) if zone == "Asia/Kolkata" else ()
    _build_and_check_volume(workspace, *extra, env={"TZ": zone})
    for fmt, reference in reference_digests.items():
        digests = mart_digests(workspace.warehouse, tmp_path / fmt, fmt)
        assert digests.keys() == reference.keys()
        differing = sorted(name for name in digests if digests[name] != reference[name])
        assert differing == [], f"{fmt} exports differ from the reference build under TZ={zone}"


def _bucketed(con: duckdb.DuckDBPyConnection, mart: str) -> bool:
    columns = {row[0] for row in con.execute(f"describe ref.marts.{mart}").fetchall()}
    return bool(columns & BUCKET_COLUMNS)


def test_reporting_timezone_moves_only_the_day_and_month_buckets(
    workspace: Workspace,
    demo_warehouse: Path,
    reference_digests: dict[str, dict[str, str]],
    tmp_path: Path,
) -> None:
    _build_and_check_volume(workspace, "--var", "reporting_timezone=Europe/Berlin")
    berlin = workspace.warehouse

    # Marts without a bucket column: byte-identical exports.
    digests = mart_digests(berlin, tmp_path / "csv", "csv")
    differing = {name.removesuffix(".csv") for name in digests}
    differing = {
        name
        for name in differing
        if digests[f"{name}.csv"] != reference_digests["csv"][f"{name}.csv"]
    }
    con = duckdb.connect()
    try:
        con.execute(f"attach '{demo_warehouse}' as ref (read_only)")
        con.execute(f"attach '{berlin}' as berlin (read_only)")
        unbucketed_changes = sorted(name for name in differing if not _bucketed(con, name))
        assert unbucketed_changes == [], "marts without a day/month bucket changed"
        assert differing, "no bucket moved: the demo has evening events that must move"

        # The enrollment fact: every column but the buckets is the same.
        columns = [
            row[0]
            for row in con.execute("describe ref.marts.fct_sequence_enrollments").fetchall()
            if row[0] not in BUCKET_COLUMNS
        ]
        listed = ", ".join(columns)
        for one, other in (("ref", "berlin"), ("berlin", "ref")):
            extra = con.execute(
                f"select count(*) from (select {listed} from {one}.marts.fct_sequence_enrollments "
                f"except all select {listed} from {other}.marts.fct_sequence_enrollments)"
            ).fetchall()[0][0]
            assert extra == 0, f"fct_sequence_enrollments rows of {one} not in {other}"

        # Bucketed marts: the same totals once the buckets are summed away.
        for mart, (keys, measures) in REAGGREGATED.items():
            group = ", ".join(keys)
            select = ", ".join([*keys, *(f"sum({m}) as {m}" for m in measures)])
            clause = f" group by {group}" if keys else ""
            totals = {
                name: sorted(
                    con.execute(f"select {select} from {name}.marts.{mart}{clause}").fetchall(),
                    key=repr,
                )
                for name in ("ref", "berlin")
            }
            assert totals["ref"] == totals["berlin"], f"{mart}: totals over buckets changed"

        # And each enrollment's day is its enrolled_at's calendar day in Berlin, computed
        # here with Python's time-zone database.
        rows = con.execute(
            "select berlin_fact.enrolled_at, berlin_fact.enrollment_date, "
            "ref_fact.enrollment_date "
            "from berlin.marts.fct_sequence_enrollments as berlin_fact "
            "inner join ref.marts.fct_sequence_enrollments as ref_fact "
            "on berlin_fact.enrollment_id = ref_fact.enrollment_id"
        ).fetchall()
    finally:
        con.close()
    berlin_zone = ZoneInfo("Europe/Berlin")
    moved = 0
    for enrolled_at, berlin_date, utc_date in rows:
        instant = enrolled_at.replace(tzinfo=UTC)
        assert berlin_date == instant.astimezone(berlin_zone).date(), enrolled_at
        assert utc_date == instant.date(), enrolled_at
        moved += berlin_date != utc_date
    assert moved > 0, "no enrollment in the demo fell on another day in Berlin"
