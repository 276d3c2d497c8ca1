"""One set of staging models, two input modes: CSV and Parquet raw directories and the
demo seeds give identical staging tables (and marts)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from conftest import Run
from gtm_analytics.raw_tables import RAW_TABLES
from hardening_support import mart_digests


def _staging_tables(warehouse: Path) -> dict[str, list[tuple]]:
    """Every staging table of a warehouse built with --keep-intermediate (a default build
    publishes only the incremental ones: those it has)."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        published = {
            row[0]
            for row in con.execute(
                "select table_name from duckdb_tables() where schema_name = 'staging'"
            ).fetchall()
        }
        return {
            table: con.execute(
                f"select * from staging.stg_hubspot__{table} order by all"
            ).fetchall()
            for table in RAW_TABLES
            if f"stg_hubspot__{table}" in published
        }
    finally:
        con.close()


@pytest.fixture(scope="module")
def csv_warehouse(raw_csv_dir: Path, gtm: Callable[..., Run], tmp_path_factory) -> Path:
    warehouse = tmp_path_factory.mktemp("csv_build") / "gtm.duckdb"
    result = gtm(
        "build",
        "--no-docs",
        "--keep-intermediate",
        "--raw-dir",
        str(raw_csv_dir),
        "--warehouse",
        str(warehouse),
    )
    assert result.returncode == 0, result.output
    return warehouse


def test_parquet_and_csv_give_identical_staging(
    raw_parquet_dir: Path, csv_warehouse: Path, gtm: Callable[..., Run], tmp_path: Path
) -> None:
    # One build checks two things: Parquet equals CSV, and an absent optional table
    # (campaign_spend) means no rows rather than an error.
    raw = tmp_path / "raw"
    shutil.copytree(raw_parquet_dir, raw)
    (raw / "campaign_spend.parquet").unlink()
    warehouse = tmp_path / "gtm.duckdb"
    # --keep-intermediate: every staging table is published, to compare them here
    result = gtm(
        "build",
        "--no-docs",
        "--keep-intermediate",
        "--raw-dir",
        str(raw),
        "--warehouse",
        str(warehouse),
        "--threads",
        "2",
    )
    assert result.returncode == 0, result.output
    assert " START unit_test " not in result.output, "a build leaves the unit tests to CI"
    from_parquet = _staging_tables(warehouse)
    from_csv = _staging_tables(csv_warehouse)
    assert sum(len(rows) for rows in from_csv.values()) > 10_000
    assert from_csv["campaign_spend"], "the demo data has spend rows"
    assert from_parquet["campaign_spend"] == []
    for table in RAW_TABLES:
        if table != "campaign_spend":
            assert from_parquet[table] == from_csv[table], f"stg_hubspot__{table} differs"


def test_raw_directory_and_seeds_give_identical_staging(
    csv_warehouse: Path, demo_warehouse: Path, tmp_path: Path
) -> None:
    # The seeds are the generator's default CSV output, so both modes must agree: on
    # the staging tables the default demo build publishes (the incremental ones), and
    # on every mart, which the other staging tables feed.
    from_seeds = _staging_tables(demo_warehouse)
    from_csv = _staging_tables(csv_warehouse)
    assert len(from_seeds) == 4
    for table, rows in from_seeds.items():
        assert rows == from_csv[table], f"stg_hubspot__{table} differs"
    # every mart exported as `gtm export` does: byte-identical files
    seeds_marts = mart_digests(demo_warehouse, tmp_path / "seeds", "csv")
    csv_marts = mart_digests(csv_warehouse, tmp_path / "csv", "csv")
    assert len(seeds_marts) > 20
    assert seeds_marts == csv_marts


def test_staging_types_are_the_contract_types(csv_warehouse: Path) -> None:
    con = duckdb.connect(str(csv_warehouse), read_only=True)
    try:
        types = dict(
            ((table, column), data_type)
            for table, column, data_type in con.execute(
                "select table_name, column_name, data_type from information_schema.columns "
                "where table_schema = 'staging'"
            ).fetchall()
        )
    finally:
        con.close()
    assert types[("stg_hubspot__email_events", "occurred_at")] == "TIMESTAMP"
    assert types[("stg_hubspot__email_events", "is_bot")] == "BOOLEAN"
    assert types[("stg_hubspot__deals", "amount")] == "DECIMAL(18,2)"
    assert types[("stg_hubspot__sequence_steps", "step_order")] == "INTEGER"
    assert types[("stg_hubspot__campaigns", "start_date")] == "DATE"
    assert types[("stg_hubspot__users", "user_id")] == "VARCHAR"
