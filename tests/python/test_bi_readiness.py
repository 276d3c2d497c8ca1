"""A warehouse BI tools can read.

The published file opens in every current DuckDB client: `gtm build` writes DuckDB's
v1.4.0 storage format (the long-term-support line) unless `--storage-version` asks for
another, and DuckDB 1.4 from PyPI, in an environment of its own, reads every table and
view of the demo warehouse with the same row counts as this project's DuckDB. (A build
with `--storage-version latest`: test_settings_effects.py's as-of build.) Every mart
and column carries its dbt description as a database comment, also for that reader."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import venv
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from conftest import Run, query
from gtm_analytics import build as build_module

# Every table and view a reader can see, with its row count (the same script runs on
# both DuckDB versions).
INVENTORY = """
import json, sys
import duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
relations = con.execute(
    "select schema_name, table_name from duckdb_tables() where not internal "
    "union all select schema_name, view_name from duckdb_views() where not internal "
    "order by 1, 2"
).fetchall()
counts = {
    f"{schema}.{name}": con.execute(f'select count(*) from "{schema}"."{name}"').fetchall()[0][0]
    for schema, name in relations
}
comments = con.execute(
    "select count(*) from duckdb_columns() where schema_name = 'marts' and comment <> ''"
).fetchall()[0][0]
print(json.dumps({"version": duckdb.__version__, "counts": counts, "comments": comments}))
"""


@pytest.fixture(scope="module")
def duckdb_14(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A virtual environment with DuckDB 1.4, SQLAlchemy 1.4 and duckdb_engine from PyPI:
    its Python."""
    folder = tmp_path_factory.mktemp("duckdb14")
    venv.create(folder, with_pip=True)
    python = folder / "bin" / "python"
    installed = subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "duckdb>=1.4,<1.5",
            # docs/bi.md's tested SQLAlchemy pair
            "sqlalchemy>=1.4,<2",
            "duckdb_engine>=0.17,<0.18",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    return python


def _inventory(python: str | Path, warehouse: Path) -> dict:
    completed = subprocess.run(
        [str(python), "-c", INVENTORY, str(warehouse)], capture_output=True, text=True, timeout=300
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    return json.loads(completed.stdout)


def test_demo_warehouse_is_written_for_duckdb_14(demo_warehouse: Path) -> None:
    assert build_module.file_storage_version(demo_warehouse) == "v1.4.0+"


def test_duckdb_14_reads_every_table_and_view(demo_warehouse: Path, duckdb_14: Path) -> None:
    old = _inventory(duckdb_14, demo_warehouse)
    new = _inventory(sys.executable, demo_warehouse)
    assert old["version"].startswith("1.4.") and new["version"] == duckdb.__version__
    assert any(name.startswith("marts.") for name in new["counts"])
    # views included: their SQL must be understood by the older reader too
    assert {"marts.attribution_credits", "marts.fct_sequence_enrollments"} <= set(new["counts"])
    assert old["counts"] == new["counts"]
    assert old["comments"] == new["comments"] > 0


def test_another_storage_version_is_a_full_refresh(
    demo_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "gtm.duckdb"
    shutil.copyfile(demo_warehouse, copy)
    info = build_module._build_info(None, {})
    monkeypatch.setenv(build_module.STORAGE_VERSION_ENV, "v1.4.0")
    assert build_module._full_refresh_reason(copy, info, None) is None
    monkeypatch.setenv(build_module.STORAGE_VERSION_ENV, "latest")
    reason = build_module._full_refresh_reason(copy, info, None)
    assert reason is not None and "storage format v1.4.0+" in reason and "latest" in reason


def test_unknown_storage_version_is_refused_before_dbt(
    gtm: Callable[..., Run], tmp_path: Path
) -> None:
    warehouse = tmp_path / "gtm.duckdb"
    result = gtm("build", "--warehouse", str(warehouse), "--storage-version", "v9.9")
    assert result.returncode == 1
    assert "--storage-version v9.9: DuckDB" in result.output
    assert "v1.4.0" in result.output and "latest" in result.output
    assert not warehouse.exists()
    assert "Running with dbt" not in result.output


def test_every_mart_and_column_carries_its_description(demo_warehouse: Path) -> None:
    # dbt's persist_docs writes each YAML description as a database comment, which BI
    # tools and SQL clients show beside the name.
    relations = query(
        demo_warehouse,
        "select table_name, comment from duckdb_tables() where schema_name = 'marts' "
        "union all select view_name, comment from duckdb_views() where schema_name = 'marts'",
    )
    assert len(relations) > 20
    assert [name for name, comment in relations if not comment] == []
    columns = query(
        demo_warehouse,
        "select table_name, column_name, comment from duckdb_columns() where schema_name = 'marts'",
    )
    assert [(t, c) for t, c, comment in columns if not comment] == []
    # the text is the YAML's, doc blocks rendered
    described = dict(((t, c), comment) for t, c, comment in columns)
    assert (
        described[("fct_sequence_enrollments", "enrollment_id")] == "Primary key: the enrollment."
    )
    relation_comments = dict(relations)
    assert relation_comments["fct_sequence_enrollments"].startswith("One row per usable enrollment")
    assert "{{" not in relation_comments["fct_sequence_enrollments"]


# Every entity id a mart carries has the entity's display name beside it (README, "Names
# beside ids"); the names' values are checked against the dimensions by the dbt test
# tests/marts/dimensions/assert_mart_display_names_match_dimensions.sql.
NAME_COLUMNS = {
    "campaign_id": ["campaign_name"],
    "sequence_id": ["sequence_name"],
    "template_id": ["template_name"],
    "user_id": ["user_name"],
    "owner_user_id": ["owner_user_name"],
    "enrolled_by_user_id": ["enrolled_by_user_name"],
    "contact_id": ["contact_name", "contact_email"],
    "company_id": ["company_name"],
    "deal_id": ["deal_name"],
    "attributed_deal_id": ["attributed_deal_name"],
}
# keys of things that have no dimension (steps are named by order and type, assets carry
# asset_name), and the drill-down tables that leave names to the dimensions
WITHOUT_DIMENSION = {
    "enrollment_id",
    "step_id",
    "last_executed_step_id",
    "reply_step_id",
    "meeting_step_id",
    "asset_id",
    "conversion_id",
    "touchpoint_id",
    "source_id",
}
DRILL_DOWN = {"attribution_touchpoints", "attribution_credits", "attribution_journeys"}


def test_every_mart_id_has_its_display_name_beside_it(demo_warehouse: Path) -> None:
    columns: dict[str, list[str]] = {}
    for table, column in query(
        demo_warehouse,
        "select table_name, column_name from duckdb_columns() where schema_name = 'marts' "
        "order by table_name, column_index",
    ):
        columns.setdefault(table, []).append(column)
    assert {"campaign_daily", "fct_sequence_enrollments", "dim_contacts"} <= set(columns)
    missing, unknown = [], []
    for table, names in columns.items():
        if table in DRILL_DOWN:
            continue
        for column in names:
            if column in NAME_COLUMNS:
                missing += [f"{table}.{name}" for name in NAME_COLUMNS[column] if name not in names]
            elif column.endswith("_id") and column not in WITHOUT_DIMENSION:
                unknown.append(f"{table}.{column}")
    assert missing == [], "ids without their display name"
    assert unknown == [], "ids of an entity this test does not know: name it above"
    # a BI tool groups by the name alone, e.g. campaign sessions by campaign name
    by_name = query(
        demo_warehouse,
        "select campaign_name, sum(sessions) from marts.campaign_daily group by campaign_name",
    )
    assert len(by_name) > 3 and all(name for name, _ in by_name)


# docs/bi.md: its examples run as written, from a folder where warehouse/gtm.duckdb is
# the demo warehouse. Python blocks say which environment runs them on their first line.
GUIDE = Path(__file__).resolve().parents[2] / "docs" / "bi.md"


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.DOTALL)


@pytest.fixture(scope="module")
def guide_folder(demo_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("guide")
    (folder / "warehouse").mkdir()
    (folder / "warehouse" / "gtm.duckdb").symlink_to(demo_warehouse)
    return folder


@pytest.mark.parametrize("environment", ["python", "sqlalchemy"])
def test_guide_python_examples_run(environment: str, guide_folder: Path, duckdb_14: Path) -> None:
    examples = [code for code in _blocks("python") if code.startswith(f"# example: {environment}")]
    assert len(examples) == 1
    python = sys.executable if environment == "python" else duckdb_14
    completed = subprocess.run(
        [str(python), "-c", examples[0]],
        cwd=guide_folder,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert completed.stdout.strip() and "[]" not in completed.stdout


def test_guide_queries_give_rows_in_both_duckdb_versions(
    guide_folder: Path, duckdb_14: Path
) -> None:
    queries = _blocks("sql")
    assert len(queries) >= 4
    runner = (
        "import json, sys, duckdb\n"
        "con = duckdb.connect('warehouse/gtm.duckdb', read_only=True)\n"
        "print(json.dumps([con.execute(q).fetchall() for q in json.loads(sys.argv[1])], "
        "default=str))\n"
    )
    results = []
    for python in (sys.executable, duckdb_14):
        completed = subprocess.run(
            [str(python), "-c", runner, json.dumps(queries)],
            cwd=guide_folder,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert completed.returncode == 0, completed.stderr[-3000:]
        results.append(json.loads(completed.stdout))
    assert all(rows for rows in results[0]), "every example query returns rows"
    assert results[0] == results[1]
