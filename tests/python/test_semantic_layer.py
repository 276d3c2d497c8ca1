"""The semantic layer answers the marts' numbers: `mf query` against the published file."""

from __future__ import annotations

import csv
import os
import re
import shlex
import subprocess
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from conftest import PROJECT_DIR, query

MF = Path(os.environ.get("VIRTUAL_ENV", PROJECT_DIR / ".venv")) / "bin" / "mf"


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def mf_env(demo_warehouse: Path) -> Iterator[dict[str, str]]:
    """MetricFlow on the published file itself, read-only, while a BI reader (this
    process) holds it open: GTM_DUCKDB_ACCESS_MODE=read_only, as the README says."""
    if not MF.exists():
        pytest.fail(f"{MF} is missing: dbt-metricflow is part of the dev install")
    env = dict(os.environ, GTM_DUCKDB_PATH=str(demo_warehouse), GTM_DUCKDB_ACCESS_MODE="read_only")
    env.pop("DBT_TARGET_PATH", None)  # mf reads target/semantic_manifest.json
    dbt = MF.with_name("dbt")
    parsed = _run([str(dbt), "parse", "--profiles-dir", "."], env)
    assert parsed.returncode == 0, parsed.stdout + parsed.stderr
    reader = duckdb.connect(str(demo_warehouse), read_only=True)
    try:
        yield env
    finally:
        reader.close()


def _mf_rows(env: dict[str, str], metrics: str, group_by: str, out: Path) -> list[dict]:
    result = _run(
        [str(MF), "query", "--metrics", metrics, "--group-by", group_by, "--csv", str(out)], env
    )
    assert result.returncode == 0, result.stdout + result.stderr
    with out.open(newline="") as handle:
        return list(csv.DictReader(handle))


def test_reply_rate_by_sequence_equals_the_mart(
    mf_env: dict[str, str], demo_warehouse: Path, tmp_path: Path
) -> None:
    rows = _mf_rows(
        mf_env,
        "reply_rate,sequence_enrollments,replied_enrollments",
        "sequence",
        tmp_path / "q.csv",
    )
    mart = {
        sequence_id: (total, replied, rate)
        for sequence_id, total, replied, rate in query(
            demo_warehouse,
            "select sequence_id, total_enrollments, replied_count, replied_rate "
            "from marts.sequence_performance where total_enrollments > 0",
        )
    }
    assert len(rows) == len(mart) > 5
    for row in rows:
        total, replied, rate = mart[row["sequence"]]
        assert int(row["sequence_enrollments"]) == total
        assert int(row["replied_enrollments"]) == replied
        assert float(row["reply_rate"]) == pytest.approx(rate, rel=1e-9)


def test_campaign_sessions_equal_the_overview(
    mf_env: dict[str, str], demo_warehouse: Path, tmp_path: Path
) -> None:
    rows = _mf_rows(mf_env, "campaign_sessions", "campaign", tmp_path / "c.csv")
    overview = dict(
        query(
            demo_warehouse,
            "select campaign_id, sessions from marts.campaign_overview where sessions > 0",
        )
    )
    assert {row["campaign"]: int(float(row["campaign_sessions"])) for row in rows} == overview


def test_campaign_sessions_by_campaign_name_equal_the_overview(
    mf_env: dict[str, str], demo_warehouse: Path, tmp_path: Path
) -> None:
    # the display name is a dimension: campaigns grouped by name, no id in sight
    rows = _mf_rows(mf_env, "campaign_sessions", "campaign_day__campaign_name", tmp_path / "n.csv")
    overview = dict(
        query(
            demo_warehouse,
            "select campaign_name, sum(sessions) from marts.campaign_overview "
            "where sessions > 0 group by campaign_name",
        )
    )
    assert len(overview) > 3 and None not in overview
    by_name = {
        row["campaign_day__campaign_name"]: int(float(row["campaign_sessions"])) for row in rows
    }
    assert by_name == overview


README = PROJECT_DIR / "README.md"


def _readme_mf_queries() -> list[list[str]]:
    """The `mf query` lines of the README's shell blocks, as argument lists."""
    blocks = re.findall(r"```bash\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)
    return [
        shlex.split(line)
        for block in blocks
        for line in block.splitlines()
        if line.startswith(".venv/bin/mf query")
    ]


def test_readme_mf_examples_run(mf_env: dict[str, str], tmp_path: Path) -> None:
    examples = _readme_mf_queries()
    assert len(examples) >= 2
    assert any("campaign_name" in " ".join(args) for args in examples)
    for number, args in enumerate(examples):
        out = tmp_path / f"readme{number}.csv"
        result = _run([str(MF), *args[1:], "--csv", str(out)], mf_env)
        assert result.returncode == 0, " ".join(args) + "\n" + result.stdout + result.stderr
        with out.open(newline="") as handle:
            rows = list(csv.DictReader(handle))
        group_by = args[args.index("--group-by") + 1].split(",")
        assert rows, " ".join(args)
        # every row is labelled by its group's name (a display name, never empty)
        assert all(row[name] for row in rows for name in group_by), " ".join(args)


def test_without_read_only_mode_the_reader_blocks_metricflow(
    mf_env: dict[str, str], tmp_path: Path
) -> None:
    # what GTM_DUCKDB_ACCESS_MODE=read_only avoids: DuckDB's one-writer lock
    env = {key: value for key, value in mf_env.items() if key != "GTM_DUCKDB_ACCESS_MODE"}
    result = _run(
        [
            str(MF),
            "query",
            "--metrics",
            "reply_rate",
            "--group-by",
            "sequence",
            "--csv",
            str(tmp_path / "r.csv"),
        ],
        env,
    )
    assert result.returncode != 0
    assert "lock" in (result.stdout + result.stderr).lower()
