"""`gtm export`: every mart to Parquet or CSV, swapped in whole.

The export directory is a symbolic link to a versioned folder. A new export is
written to a fresh folder beside it, with `manifest.json`, and the link is then
replaced in one `os.replace`: a reader that opens `exports/<mart>.parquet`
sees either the whole previous set or the whole new one, never half of each.
The folder before the previous one is removed; the previous one is kept so a
reader that resolved the link just before the swap can finish.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from gtm_analytics.errors import GtmError
from gtm_analytics.processes import pid_alive

FORMATS = {"parquet": "(format parquet, compression zstd)", "csv": "(format csv, header true)"}


@dataclass
class ExportOutcome:
    """Where the export went and how many marts it holds."""

    out: Path
    version_dir: Path
    marts: int


def _versions_dir(out: Path) -> Path:
    return out.parent / f".{out.name}.versions"


def _quote(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def export(warehouse: Path, out: Path, fmt: str = "parquet") -> ExportOutcome:
    """Write every table of schema `marts` to `out/<mart>.<fmt>` plus `manifest.json`."""
    if fmt not in FORMATS:
        raise GtmError(f"unknown export format {fmt!r}: use parquet or csv")
    warehouse = warehouse.resolve()
    if not warehouse.is_file():
        raise GtmError(f"no warehouse at {warehouse}: run `gtm build` first")
    out = out.absolute()
    if out.exists() and not out.is_symlink() and not out.is_dir():
        raise GtmError(f"{out} exists and is not a directory")

    versions = _versions_dir(out)
    versions.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    version_dir = versions / f"{stamp}-{os.getpid()}"
    staging_dir = versions / f".incomplete-{stamp}-{os.getpid()}"
    staging_dir.mkdir()

    try:
        manifest = _write_marts(warehouse, staging_dir, fmt)
        (staging_dir / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
        staging_dir.rename(version_dir)
    except BaseException:
        shutil.rmtree(staging_dir, ignore_errors=True)
        raise

    previous = _previous_target(out, version_dir)
    _swap_link(out, version_dir)
    _prune(versions, keep={version_dir.name, previous})
    return ExportOutcome(out=out, version_dir=version_dir, marts=len(manifest["marts"]))


def _write_marts(warehouse: Path, target: Path, fmt: str) -> dict:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        marts = [
            row[0]
            for row in con.execute(
                "select table_name from information_schema.tables "
                "where table_schema = 'marts' order by table_name"
            ).fetchall()
        ]
        if not marts:
            raise GtmError(f"{warehouse} holds no marts: run `gtm build` first")
        built = con.execute(
            "select cast(built_at as varchar), cast(as_of as varchar) from audit.build_info"
        ).fetchall()
        entries = {}
        for mart in marts:
            path = target / f"{mart}.{fmt}"
            # A stable row order makes two exports of the same build byte-identical.
            con.execute(
                f"copy (select * from marts.{mart} order by all) to {_quote(path)} {FORMATS[fmt]}"
            )
            columns = con.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_schema = 'marts' and table_name = ? order by ordinal_position",
                [mart],
            ).fetchall()
            rows = con.execute(f"select count(*) from marts.{mart}").fetchall()[0][0]
            entries[mart] = {
                "file": path.name,
                "rows": rows,
                "columns": [{"name": name, "type": data_type} for name, data_type in columns],
            }
    finally:
        con.close()
    return {
        "format": fmt,
        "built_at": built[0][0] if built else None,
        "as_of": built[0][1] if built else None,
        "marts": entries,
    }


def _previous_target(out: Path, new_dir: Path) -> str:
    if out.is_symlink():
        return Path(os.readlink(out)).name
    return new_dir.name


def _swap_link(out: Path, version_dir: Path) -> None:
    relative = os.path.relpath(version_dir, out.parent)
    if out.exists() and not out.is_symlink():
        # A plain directory from elsewhere (or an older layout): move it aside once.
        out.rename(_versions_dir(out) / f"replaced-{version_dir.name}")
    link = out.parent / f".{out.name}.link-{os.getpid()}"
    link.unlink(missing_ok=True)
    link.symlink_to(relative, target_is_directory=True)
    os.replace(link, out)


def _prune(versions: Path, keep: set[str]) -> None:
    for path in versions.iterdir():
        if path.name in keep:
            continue
        if path.name.startswith(".incomplete-"):
            # Another export may be writing it; remove it only when its process is gone.
            pid = path.name.rsplit("-", 1)[-1]
            if not pid.isdigit() or pid_alive(int(pid)):
                continue
        shutil.rmtree(path, ignore_errors=True)
