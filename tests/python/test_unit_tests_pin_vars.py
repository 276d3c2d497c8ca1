"""A user's setting never makes a unit test fail: every unit test whose model reads a
var pins it (`overrides: vars`), so the expected rows hold whatever `--var` a build
is given. Checked by building the demo's seeds and models with every unit test (no
data test: their figures do move with the settings) under a non-default value of
each var the README documents."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import PROJECT_DIR

DBT = Path(sys.executable).with_name("dbt")

# East and west of UTC are both tried: a unit test written for UTC dates can pass
# in one and fail in the other.
NON_DEFAULT_SETTINGS = (
    {
        "reporting_timezone": "America/Los_Angeles",
        "attribution_lookback_days": 30,
        "time_decay_half_life_days": 3,
        "meeting_window_days": 0,
        "deal_attribution_window_days": 0,
        "sequence_cohort_days": 10,
        "sender_score_min_completed": 5,
        "sender_score_reply_breakpoints": [[0, 0], [0.05, 30], [0.2, 50]],
        "sender_score_bounce_breakpoints": [[0, 50], [0.05, 20], [0.2, 0]],
        "sender_score_bands": {"Excellent": 90, "Good": 60, "Fair": 40},
        "incremental_lookback_days": None,
    },
    {"reporting_timezone": "Asia/Kolkata", "time_decay_half_life_days": 14},
)


def test_unit_tests_pass_whatever_the_settings(tmp_path) -> None:
    env = dict(os.environ)
    env.update(
        GTM_DUCKDB_PATH=str(tmp_path / "unit.duckdb"),
        DBT_TARGET_PATH=str(tmp_path / "target"),
        DBT_LOG_PATH=str(tmp_path / "logs"),
    )
    for settings in NON_DEFAULT_SETTINGS:
        completed = subprocess.run(
            [str(DBT), "build", "--exclude", "test_type:data", "--vars", json.dumps(settings)],
            cwd=PROJECT_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        failed = [line for line in completed.stdout.splitlines() if " FAIL " in line]
        assert completed.returncode == 0, (settings, failed or completed.stdout[-3000:])
        assert " ERROR=0 " in completed.stdout and " SKIP=0 " in completed.stdout
