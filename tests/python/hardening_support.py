"""Helpers shared by the hardening tests (test_hardening_*.py): builds in a reused
workspace, mart exports and their digests, raw directories written from Python rows.

A workspace is one folder whose raw-directory path, warehouse path and dbt target
folder stay the same from build to build, so dbt reuses its parse of the project.
"""

from __future__ import annotations

import csv
import os
import shutil
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from conftest import Run, run_gtm, sha256
from gtm_analytics.export import export
from gtm_analytics.raw_tables import RAW_TABLES


@dataclass
class Workspace:
    """Fixed paths for repeated builds: raw/, published/gtm.duckdb, dbt's target and logs."""

    root: Path

    @property
    def raw(self) -> Path:
        return self.root / "raw"

    @property
    def published_dir(self) -> Path:
        return self.root / "published"

    @property
    def warehouse(self) -> Path:
        return self.published_dir / "gtm.duckdb"

    @property
    def work_file(self) -> Path:
        return self.published_dir / ".gtm.work.duckdb"

    def publish_copy_of(self, warehouse: Path) -> str:
        """Start from a copy of a good published warehouse; return its digest."""
        self.published_dir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(warehouse, self.warehouse)
        return sha256(self.warehouse)

    def fresh_raw(self, source: Path | None = None) -> Path:
        """An empty raw directory (or a copy of `source`) at the fixed raw path."""
        shutil.rmtree(self.raw, ignore_errors=True)
        if source is None:
            self.raw.mkdir(parents=True)
        else:
            shutil.copytree(source, self.raw)
        return self.raw

    def gtm(self, *args: str, env: Mapping[str, str] | None = None) -> Run:
        """`gtm ARGS` with this workspace's dbt target and log folders."""
        return run_gtm(*args, tmp_dir=self.root, env=dict(env or {}))

    def build(
        self,
        *extra: str,
        raw: bool = True,
        docs: bool = False,
        env: Mapping[str, str] | None = None,
    ) -> Run:
        """`gtm build` of this workspace's raw directory (or the demo seeds) into its warehouse."""
        args = ["build", "--warehouse", str(self.warehouse)]
        if raw:
            args += ["--raw-dir", str(self.raw)]
        if not docs:
            args.append("--no-docs")
        return self.gtm(*args, *extra, env=env)

    def dbt_env(self) -> dict[str, str]:
        """The environment run_gtm gives a build, for builds started with Popen."""
        env = dict(os.environ)
        env["DBT_TARGET_PATH"] = str(self.root / "dbt_target")
        env["DBT_LOG_PATH"] = str(self.root / "dbt_logs")
        return env


def mart_digests(warehouse: Path, out: Path, fmt: str) -> dict[str, str]:
    """Export every mart with `gtm export`'s code and return file name -> sha256, without
    the manifest (it carries the build time, which differs by design)."""
    version_dir = export(warehouse, out, fmt).version_dir
    return {
        path.name: sha256(path) for path in sorted(version_dir.iterdir()) if path.suffix != ".json"
    }


def notes(run: Run) -> list[str]:
    """The `note:` lines a successful `gtm build` printed, without the prefix."""
    return [line[len("note: ") :] for line in run.stdout.splitlines() if line.startswith("note: ")]


def write_csv_table(
    raw: Path,
    table: str,
    rows: Iterable[Mapping[str, str | None]],
    *,
    extra_columns: Sequence[str] = (),
    column_order: Sequence[str] | None = None,
) -> None:
    """Write one raw table as CSV: the contract's columns (in `column_order` if given) plus
    `extra_columns`; None is written as an empty field (null)."""
    columns = list(column_order or RAW_TABLES[table]) + list(extra_columns)
    with (raw / f"{table}.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if row.get(column) is None else row[column] for column in columns])


def read_csv_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a CSV file."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        return header, list(reader)


def write_csv_rows(path: Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    """Write a header and rows as CSV."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
