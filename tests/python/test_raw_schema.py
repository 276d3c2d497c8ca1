"""Raw-schema mode (var raw_schema): the landing views read <raw_schema>.<table> of the
target database. The PostgreSQL path is exercised by `gtm bench` (tables loaded as text,
marts compared with DuckDB's); here, the checks that stop a build early."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from conftest import Run


def test_a_missing_raw_table_stops_the_build(gtm: Callable[..., Run], tmp_path: Path) -> None:
    warehouse = tmp_path / "gtm.duckdb"
    result = gtm("build", "--no-docs", "--warehouse", str(warehouse), "--var", "raw_schema=nowhere")
    assert result.returncode == 1, result.output
    assert (
        "raw table users: rule 'required table' broken: nowhere.users does not exist"
        in result.output
    ), result.output
    assert not warehouse.exists()


def test_raw_dir_and_raw_schema_together_are_refused(
    gtm: Callable[..., Run], tmp_path: Path, raw_parquet_dir: Path
) -> None:
    result = gtm(
        "build",
        "--no-docs",
        "--warehouse",
        str(tmp_path / "gtm.duckdb"),
        "--raw-dir",
        str(raw_parquet_dir),
        "--var",
        "raw_schema=hubspot_raw",
    )
    assert result.returncode == 1, result.output
    assert "vars raw_dir and raw_schema are both set" in result.output, result.output
