"""Safe publishing: readers never block a build nor see half of one; a killed build
changes nothing; exports swap in whole."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from conftest import PROJECT_DIR, Run, query, sha256
from gtm_analytics.export import export


def _tree_digest(folder: Path) -> dict[str, str]:
    return {p.name: sha256(p) for p in sorted(folder.iterdir())}


def test_reader_holding_the_file_keeps_old_data_while_build_publishes(
    demo_warehouse: Path, gtm: Callable[..., Run], tmp_path: Path
) -> None:
    published = tmp_path / "gtm.duckdb"
    shutil.copyfile(demo_warehouse, published)
    reader = duckdb.connect(str(published), read_only=True)
    try:
        old = reader.execute("select as_of, built_at from audit.build_info").fetchall()
        result = gtm(
            "build",
            "--no-docs",
            "--warehouse",
            str(published),
            "--var",
            "as_of=2025-03-31T00:00:00Z",
        )
        assert result.returncode == 0, result.output
        # The connection opened before the build still reads the old file.
        assert reader.execute("select as_of, built_at from audit.build_info").fetchall() == old
    finally:
        reader.close()
    new = query(published, "select cast(as_of as varchar) from audit.build_info")
    assert new == [("2025-03-31 00:00:00",)]
    assert old[0][0] != new[0][0]


def test_killed_build_changes_nothing_and_next_build_succeeds(
    demo_warehouse: Path, gtm: Callable[..., Run], tmp_path: Path
) -> None:
    published_dir = tmp_path / "published"
    published_dir.mkdir()
    published = published_dir / "gtm.duckdb"
    shutil.copyfile(demo_warehouse, published)
    exports = tmp_path / "exports"
    export(published, exports, "parquet")
    before = sha256(published)
    exports_before = _tree_digest(exports)

    env = dict(os.environ)
    env["DBT_TARGET_PATH"] = str(tmp_path / "target")
    env["DBT_LOG_PATH"] = str(tmp_path / "logs")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gtm_analytics",
            "build",
            "--no-docs",
            "--warehouse",
            str(published),
        ],
        cwd=PROJECT_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    work = published_dir / ".gtm.work.duckdb"
    deadline = time.monotonic() + 120
    while not work.exists() and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.2)
    assert work.exists(), "the build never started writing its work file"
    time.sleep(3)  # well inside dbt's run: seeds and models are being written
    assert process.poll() is None, "the build finished before it could be killed"
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)

    assert sha256(published) == before
    assert _tree_digest(exports) == exports_before
    assert work.exists(), "a killed build leaves its work file behind (cleaned next time)"

    result = gtm("build", "--no-docs", "--warehouse", str(published))
    assert result.returncode == 0, result.output
    assert not work.exists(), "the next build removes the dead build's work file"
    assert sorted(p.name for p in published_dir.iterdir()) == [".gtm.lock", "gtm.duckdb"]
    assert query(published, "select count(*) from audit.build_info") == [(1,)]


def test_export_writes_every_mart_with_a_manifest(demo_warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "exports"
    outcome = export(demo_warehouse, out, "parquet")
    marts = query(
        demo_warehouse,
        "select table_name from information_schema.tables where table_schema = 'marts'",
    )
    assert outcome.marts == len(marts) > 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["built_at"] and manifest["as_of"]
    con = duckdb.connect()
    try:
        for (mart,) in marts:
            entry = manifest["marts"][mart]
            (rows,) = query(demo_warehouse, f"select count(*) from marts.{mart}")[0]
            assert entry["rows"] == rows, mart
            path = str(out / f"{mart}.parquet")
            assert con.execute(f"select count(*) from read_parquet('{path}')").fetchall() == [
                (rows,)
            ]
            columns = [c[0] for c in con.execute(f"describe select * from '{path}'").fetchall()]
            assert columns == [c["name"] for c in entry["columns"]], mart
    finally:
        con.close()


def test_export_swaps_the_whole_set_and_keeps_one_previous(
    demo_warehouse: Path, tmp_path: Path
) -> None:
    out = tmp_path / "exports"
    first = export(demo_warehouse, out, "parquet")
    assert out.is_symlink()
    # A reader that resolved the link before the swap keeps a complete set.
    resolved_before = out.resolve()
    second = export(demo_warehouse, out, "csv")
    assert out.resolve() == second.version_dir
    assert resolved_before == first.version_dir and first.version_dir.is_dir()
    assert {p.suffix for p in out.iterdir()} == {".csv", ".json"}
    export(demo_warehouse, out, "csv")
    assert not first.version_dir.exists(), "versions older than the previous one are removed"


def test_export_without_warehouse_is_a_clear_error(tmp_path: Path) -> None:
    from gtm_analytics.errors import GtmError

    with pytest.raises(GtmError, match="no warehouse"):
        export(tmp_path / "missing.duckdb", tmp_path / "exports")


def test_same_build_exports_identical_bytes(demo_warehouse: Path, tmp_path: Path) -> None:
    one = export(demo_warehouse, tmp_path / "one", "csv").version_dir
    two = export(demo_warehouse, tmp_path / "two", "csv").version_dir
    assert {k: v for k, v in _tree_digest(one).items() if k != "manifest.json"} == {
        k: v for k, v in _tree_digest(two).items() if k != "manifest.json"
    }


def test_second_build_of_the_same_warehouse_is_refused(tmp_path: Path) -> None:
    import fcntl

    from gtm_analytics.build import build
    from gtm_analytics.errors import GtmError
    from gtm_analytics.scratch import SCRATCH_DATABASE_ENV

    warehouse = tmp_path / "gtm.duckdb"
    environment = os.environ.get(SCRATCH_DATABASE_ENV)
    with open(tmp_path / ".gtm.lock", "a+") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(GtmError, match="another `gtm build` is writing"):
            build(warehouse=warehouse, docs=False)
    assert not warehouse.exists()
    # the build's scratch-database setting does not outlive it (a MetricFlow process
    # started later would try to attach the in-memory database read-only)
    assert os.environ.get(SCRATCH_DATABASE_ENV) == environment
