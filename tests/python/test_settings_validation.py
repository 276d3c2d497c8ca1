"""A bad setting stops the build before any node runs, with one clear message per var
naming the value and what it accepts, and the published warehouse stays as it was
(macro validate_settings, the first on-run-start hook; `gtm build` prints its
sentence). A plain `dbt build` stops the same way."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from conftest import PROJECT_DIR, sha256

DBT = Path(sys.executable).with_name("dbt")

# One build with every var wrong at once: each must be named.
BAD_SETTINGS = {
    "reporting_timezone": ("Mars/Olympus_Mons", "accepts a time zone name"),
    "meeting_window_days": ("-1", "accepts a whole number, 0 or more"),
    "deal_attribution_window_days": ("2.5", "accepts a whole number, 0 or more, or null"),
    "attribution_lookback_days": ("-3", "accepts a number of days, 0 or more, or null"),
    "time_decay_half_life_days": ("0", "accepts a number of days above 0"),
    "sequence_cohort_days": ("many", "accepts a whole number, 0 or more"),
    "sender_score_min_completed": ("-5", "accepts a whole number, 0 or more"),
    "sender_score_reply_breakpoints": ("[[0.2, 0], [0.1, 35]]", "rates from 0 to 1 in increasing"),
    "sender_score_bounce_breakpoints": ("[[0, 50], [2, 0]]", "rates from 0 to 1 in increasing"),
    "sender_score_bands": ("{Excellent: 50, Good: 70, Fair: 40}", "Excellent > Good > Fair"),
    "as_of": ("yesterday", "accepts an ISO-8601 instant"),
    "incremental_lookback_days": ("-1", "accepts a whole number, 0 or more, or null"),
}


def test_every_bad_setting_is_named_and_nothing_is_published(gtm, demo_warehouse, tmp_path):
    warehouse = tmp_path / "gtm.duckdb"
    shutil.copyfile(demo_warehouse, warehouse)
    before = sha256(warehouse)
    args = [f"{name}={value}" for name, (value, _) in BAD_SETTINGS.items()]
    run = gtm(
        "build", "--warehouse", str(warehouse), "--no-docs", *sum((["--var", a] for a in args), [])
    )
    assert run.returncode == 1
    lines = [line for line in run.output.splitlines() if line.startswith("  - bad setting:")]
    assert len(lines) == 1, run.output[-3000:]  # one message, every var in it
    for name, (value, accepts) in BAD_SETTINGS.items():
        assert f"var {name} = " in lines[0] and accepts in lines[0], (name, value)
    assert "START sql" not in run.output  # no node ran
    assert sha256(warehouse) == before


def test_a_misspelt_var_is_refused(gtm, tmp_path):
    warehouse = tmp_path / "gtm.duckdb"
    run = gtm("build", "--warehouse", str(warehouse), "--no-docs", "--var", "reporting_timzone=UTC")
    assert run.returncode == 1
    assert "bad setting: var reporting_timzone is not a setting of this project" in run.output
    assert not warehouse.exists()


def test_plain_dbt_build_stops_at_its_start(tmp_path):
    env = dict(os.environ)
    env.update(
        GTM_DUCKDB_PATH=str(tmp_path / "dev.duckdb"),
        DBT_TARGET_PATH=str(tmp_path / "target"),
        DBT_LOG_PATH=str(tmp_path / "logs"),
    )
    completed = subprocess.run(
        [str(DBT), "build", "--vars", "{reporting_timezone: Mars/Olympus_Mons}"],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert completed.returncode != 0
    assert "bad setting: var reporting_timezone = Mars/Olympus_Mons" in completed.stdout
    assert " START sql " not in completed.stdout


def test_the_accepted_settings_are_the_project_vars():
    project_vars = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())["vars"]
    macro = (PROJECT_DIR / "macros/utils/validate_settings.sql").read_text()
    listed = macro[macro.index("macro settings_accepted") :]
    listed = listed[: listed.index("endmacro")]
    assert sorted(re.findall(r"'(\w+)'", listed)) == sorted(project_vars)
