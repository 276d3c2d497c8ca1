"""Every documented setting builds, and moves the figures it should and no others.

Three `gtm build --unit-tests` of the demo (unit and data tests included) cover a non-default value
of every var in the README's table; vars that do not interact share a build, so that each
check below can name the one var that moved its figure. Each build is compared with the
default demo build (`demo_warehouse`): the figures a var governs must differ, the figures
it does not touch must be equal. Unit tests pin the vars they read, so a build failing
here on a unit test means one of them does not.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from conftest import Run, query
from gtm_analytics.build import file_storage_version

# West of UTC, with the attribution lookback, the legacy meeting rule, other sender-score
# break-points and bands, shorter cohort curves, no incremental window and a freshness
# threshold that a demo feed breaks.
WEST = {
    "reporting_timezone": "America/Los_Angeles",
    "attribution_lookback_days": 30,
    "meeting_window_days": 0,
    "sender_score_reply_breakpoints": [[0, 0], [0.05, 30], [0.2, 50]],
    "sender_score_bounce_breakpoints": [[0, 50], [0.05, 20], [0.2, 0]],
    "sender_score_bands": {"Excellent": 90, "Good": 60, "Fair": 40},
    "sender_score_min_completed": 5,
    "sequence_cohort_days": 10,
    "incremental_lookback_days": None,
    "raw_freshness_warn_after_days": {"marketing_email_events": 0, "meetings": None},
}
# East of UTC, a shorter half-life and a deal window of 0 days.
EAST = {
    "reporting_timezone": "Asia/Kolkata",
    "time_decay_half_life_days": 3,
    "deal_attribution_window_days": 0,
}
# An as-of instant a month before the demo's latest event: it moves nearly everything,
# so it builds alone (in DuckDB's newest storage format: `--storage-version latest`,
# which moves no figure).
AS_OF = "2025-05-31 00:00:00"


def _build(
    gtm: Callable[..., Run], warehouse: Path, settings: dict, extra: tuple[str, ...] = ()
) -> Run:
    pairs = [f"{key}={json.dumps(value)}" for key, value in settings.items()]
    args = ["build", "--warehouse", str(warehouse), "--unit-tests", *extra]
    for pair in pairs:
        args += ["--var", pair]
    result = gtm(*args)
    assert result.returncode == 0, (settings, result.output[-4000:])
    assert " START unit_test " in result.output, "--unit-tests runs the dbt unit tests"
    return result


@pytest.fixture(scope="module")
def west(gtm: Callable[..., Run], tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Run]:
    warehouse = tmp_path_factory.mktemp("west") / "gtm.duckdb"
    return warehouse, _build(gtm, warehouse, WEST)


@pytest.fixture(scope="module")
def east(gtm: Callable[..., Run], tmp_path_factory: pytest.TempPathFactory) -> Path:
    warehouse = tmp_path_factory.mktemp("east") / "gtm.duckdb"
    _build(gtm, warehouse, EAST)
    return warehouse


@pytest.fixture(scope="module")
def as_of(gtm: Callable[..., Run], tmp_path_factory: pytest.TempPathFactory) -> Path:
    warehouse = tmp_path_factory.mktemp("as_of") / "gtm.duckdb"
    _build(gtm, warehouse, {"as_of": AS_OF}, ("--storage-version", "latest"))
    return warehouse


def _same_and_moved(default: Path, changed: Path, same_sql: str, moved_sql: str) -> None:
    """`same_sql` gives the same rows on both warehouses, `moved_sql` does not."""
    assert sorted(query(changed, same_sql)) == sorted(query(default, same_sql)), same_sql
    assert sorted(query(changed, moved_sql)) != sorted(query(default, moved_sql)), moved_sql


# Day buckets follow the reporting time zone; the sessions of a campaign do not.
DAILY_TOTALS = "select campaign_id, sum(sessions) from marts.campaign_daily group by 1"
DAILY_BUCKETS = "select campaign_id, activity_date, sessions from marts.campaign_daily"
SEND_HOURS = (
    "select sequence_id, first_email_weekday, first_email_hour, enrollments "
    "from marts.sequence_reply_rate_by_send_time"
)
SEND_TOTALS = (
    "select sequence_id, sum(enrollments), sum(replied_count) "
    "from marts.sequence_reply_rate_by_send_time group by 1"
)


@pytest.mark.parametrize("side", ["west", "east"])
def test_reporting_timezone_moves_buckets_not_totals(
    side: str, request: pytest.FixtureRequest, demo_warehouse: Path
) -> None:
    warehouse = request.getfixturevalue(side)
    warehouse = warehouse[0] if isinstance(warehouse, tuple) else warehouse
    _same_and_moved(demo_warehouse, warehouse, DAILY_TOTALS, DAILY_BUCKETS)
    _same_and_moved(demo_warehouse, warehouse, SEND_TOTALS, SEND_HOURS)


def test_attribution_lookback_leaves_touchpoints_out(west, demo_warehouse: Path) -> None:
    warehouse, _ = west
    conversions = (
        "select conversion_kind, attribution_model, conversions, total_value "
        "from marts.attribution_summary"
    )
    unattributed = (
        "select conversion_kind, attribution_model, conversions_unattributed "
        "from marts.attribution_summary"
    )
    _same_and_moved(demo_warehouse, warehouse, conversions, unattributed)
    # fewer touchpoints can only leave more conversions without any
    total = "select sum(conversions_unattributed) from marts.attribution_summary"
    assert query(warehouse, total)[0][0] > query(demo_warehouse, total)[0][0]


def test_meeting_window_zero_counts_fewer_meetings(west, demo_warehouse: Path) -> None:
    warehouse, _ = west
    _same_and_moved(
        demo_warehouse,
        warehouse,
        "select sequence_id, total_enrollments, opened_count, replied_count, deal_count "
        "from marts.sequence_performance",
        "select sequence_id, meeting_count from marts.sequence_performance",
    )
    total = "select sum(meeting_count) from marts.sequence_performance"
    assert query(warehouse, total)[0][0] < query(demo_warehouse, total)[0][0]


def test_sender_score_settings_move_points_not_rates(west, demo_warehouse: Path) -> None:
    warehouse, _ = west
    _same_and_moved(
        demo_warehouse,
        warehouse,
        "select user_id, started_enrollments, completed_enrollments, replied, bounced, "
        "round(reply_rate, 9), round(bounce_rate, 9) from marts.sender_score_by_user",
        "select user_id, reply_points, bounce_points, sender_score, sender_score_band "
        "from marts.sender_score_by_user",
    )
    scored = "select count(*) from marts.sender_score_by_user where is_score_available"
    assert query(warehouse, scored)[0][0] > query(demo_warehouse, scored)[0][0]


def test_cohort_days_end_the_curves(west, demo_warehouse: Path) -> None:
    warehouse, _ = west
    last_day = "select max(days_since_enrollment) from marts.sequence_enrollment_cohorts"
    assert query(demo_warehouse, last_day) == [(28,)]
    assert query(warehouse, last_day) == [(WEST["sequence_cohort_days"],)]


def test_freshness_threshold_warns(west) -> None:
    _, result = west
    assert "raw table marketing_email_events: latest occurred_at" in result.output
    assert "raw table meetings:" not in result.output


def test_half_life_moves_time_decay_only(east, demo_warehouse: Path) -> None:
    credits = (
        "select campaign_id, conversion_kind, attribution_model, round(attributed_contacts, 9), "
        "round(attributed_deals, 9), round(attributed_revenue, 6) from marts.campaign_attribution "
        "where attribution_model {} 'TIME_DECAY'"
    )
    _same_and_moved(demo_warehouse, east, credits.format("<>"), credits.format("="))


def test_deal_window_zero_drops_late_deals(east, demo_warehouse: Path) -> None:
    _same_and_moved(
        demo_warehouse,
        east,
        "select sequence_id, total_enrollments, replied_count, meeting_count "
        "from marts.sequence_performance",
        "select sequence_id, deal_count, total_revenue from marts.sequence_performance",
    )
    total = "select sum(deal_count) from marts.sequence_performance"
    assert query(east, total)[0][0] < query(demo_warehouse, total)[0][0]


def test_as_of_ignores_later_instants(as_of: Path, demo_warehouse: Path) -> None:
    assert [str(row[0]) for row in query(as_of, "select as_of from audit.build_info")] == [AS_OF]
    # no reply, email or meeting after as_of counts; enrollments stay (scheduled ones
    # have future dates whatever as_of is), but fewer of them have started
    latest = (
        "select max(first_reply_at), max(first_email_sent_at), max(first_meeting_at) "
        "from marts.fct_sequence_enrollments"
    )
    assert all(str(instant) <= AS_OF for instant in query(as_of, latest)[0])
    assert any(str(instant) > AS_OF for instant in query(demo_warehouse, latest)[0])
    _same_and_moved(
        demo_warehouse,
        as_of,
        "select count(*) from marts.fct_sequence_enrollments",
        "select sum(total_enrollments), sum(replied_count) from marts.sequence_performance",
    )
    last_day = "select max(activity_date) from marts.campaign_daily"
    assert str(query(as_of, last_day)[0][0]) <= AS_OF[:10]
    assert str(query(demo_warehouse, last_day)[0][0]) > AS_OF[:10]


def test_newest_storage_format_on_request(as_of: Path) -> None:
    major_minor = duckdb.__version__.rsplit(".", 1)[0]
    assert file_storage_version(as_of) == f"v{major_minor}.0+"
