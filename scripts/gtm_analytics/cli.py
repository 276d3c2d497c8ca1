"""The `gtm` command line: build the warehouse and generate synthetic raw data."""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import click
import yaml

from gtm_analytics.errors import GtmError
from gtm_analytics.paths import DEFAULT_EXPORTS, DEFAULT_REPORT, DEFAULT_WAREHOUSE


def _parse_vars(pairs: tuple[str, ...]) -> dict[str, Any]:
    """KEY=VALUE pairs to dbt vars; VALUE is read as YAML (numbers, lists, null)."""
    parsed: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"expected KEY=VALUE, got {pair!r}", param_hint="--var")
        try:
            loaded = yaml.safe_load(value)
        except yaml.YAMLError as exc:
            raise click.BadParameter(f"{key}: value is not valid YAML ({exc})") from exc
        # Instants and dates stay text: dbt vars travel as JSON and the models parse them.
        parsed[key.strip()] = value.strip() if isinstance(loaded, date) else loaded
    return parsed


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="gtm-analytics")
def cli() -> None:
    """Sequence and campaign analytics warehouse (dbt + DuckDB)."""


@cli.command()
@click.option(
    "--check",
    is_flag=True,
    help="Only say whether the dbt files are up to date (exit 1 when not); write nothing.",
)
def contract(check: bool) -> None:
    """Render the dbt project's copies of the raw contract from raw_tables.py."""
    from gtm_analytics.contract_files import rendered, write
    from gtm_analytics.paths import project_dir

    root = project_dir()
    if check:
        stale = [str(p) for p, text in rendered(root).items() if (root / p).read_text() != text]
        if stale:
            raise GtmError("out of date (run `gtm contract`): " + ", ".join(stale))
        click.echo("the dbt project's contract files are up to date")
        return
    written = write(root)
    click.echo("wrote " + ", ".join(map(str, written)) if written else "nothing to write")


@cli.command()
@click.option(
    "--raw-dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Read <table>.parquet or <table>.csv from DIR instead of the demo seeds.",
)
@click.option(
    "--warehouse",
    type=click.Path(path_type=Path, dir_okay=False),
    default=DEFAULT_WAREHOUSE,
    show_default=True,
    help="Published DuckDB file; replaced atomically only when the build passes.",
)
@click.option("--var", "var_pairs", multiple=True, metavar="KEY=VALUE", help="A dbt var.")
@click.option("--threads", type=click.IntRange(min=1), help="dbt threads (default 2).")
@click.option("--target", help="dbt target (default: the profile's, duckdb).")
@click.option(
    "--docs/--no-docs",
    default=True,
    show_default=True,
    help="Also publish dbt's static docs site beside the warehouse (<name>_docs.html).",
)
@click.option(
    "--full-refresh",
    is_flag=True,
    help="Rebuild every incremental model from all raw rows instead of adding the new ones "
    "to the published warehouse (automatic when that warehouse cannot be built on).",
)
@click.option(
    "--storage-version",
    metavar="VERSION",
    help="DuckDB storage format of the published file: v1.4.0 (the default: DuckDB 1.4 "
    "and later clients open it), another DuckDB release, or latest (newest format, "
    "readable by this DuckDB release and later only).",
)
@click.option(
    "--unit-tests",
    is_flag=True,
    help="Also run the dbt unit tests. They test the project's SQL on fixed inputs, not "
    "your data, so a build leaves them out; CI runs them.",
)
@click.option(
    "--keep-intermediate",
    is_flag=True,
    help="Also publish the staging and intermediate tables, to inspect how a figure came "
    "about (the file grows; by default they live in memory during the build only).",
)
def build(
    raw_dir: Path | None,
    warehouse: Path,
    var_pairs: tuple[str, ...],
    threads: int | None,
    target: str | None,
    docs: bool,
    full_refresh: bool,
    storage_version: str | None,
    unit_tests: bool,
    keep_intermediate: bool,
) -> None:
    """Build the warehouse (seeds or raw files, models, tests) and publish it."""
    from gtm_analytics.build import build as run_build

    started = time.monotonic()
    outcome = run_build(
        warehouse=warehouse,
        raw_dir=raw_dir,
        dbt_vars=_parse_vars(var_pairs),
        threads=threads,
        target=target,
        docs=docs,
        full_refresh=full_refresh,
        storage=storage_version,
        unit_tests=unit_tests,
        keep_intermediate=keep_intermediate,
    )
    if outcome.mode:
        click.echo(outcome.mode)
    for warning in outcome.warnings:
        click.echo(f"note: {warning}")
    click.echo(f"published {outcome.location} in {time.monotonic() - started:.1f} s")


@cli.command()
@click.option(
    "--raw-dir",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="Raw directory (<table>.parquet or <table>.csv) that the cluster reads at the same path.",
)
@click.option("--target", help="A Spark target of profiles.yml (e.g. spark_thrift).")
@click.option(
    "--schema",
    default="raw",
    show_default=True,
    help="Schema (database) of the catalog to load into; then build with --var raw_schema=SCHEMA.",
)
def load(raw_dir: Path, target: str | None, schema: str) -> None:
    """Load a raw directory into a schema of a Spark target's catalog."""
    from gtm_analytics.load import load as run_load

    outcome = run_load(raw_dir, target=target, schema=schema)
    for table in outcome.dropped:
        click.echo(f"note: no file for optional table {table}: {schema}.{table} dropped")
    click.echo(
        f"loaded {len(outcome.rows)} tables, {sum(outcome.rows.values()):,} rows, into "
        f"schema {schema} of target {target or 'default'} in {outcome.seconds:.1f} s; "
        f"build with --var raw_schema={schema}"
    )


@cli.command()
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="Directory to write one file per raw table into.",
)
@click.option(
    "--scale", type=click.FloatRange(min=0, min_open=True), help="Millions of email events."
)
@click.option("--seed", type=int, default=42, show_default=True, help="Random seed.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "parquet"]),
    default="csv",
    show_default=True,
)
def generate(out_dir: Path, scale: float | None, seed: int, fmt: str) -> None:
    """Write a raw directory of synthetic data in the raw contract."""
    from gtm_analytics.generate import generate as run_generate

    started = time.monotonic()
    try:
        counts = run_generate(out_dir, seed=seed, scale=scale, fmt=fmt)
    except (ValueError, OSError) as exc:
        raise GtmError(f"cannot generate into {out_dir}: {exc}") from exc
    total = sum(counts.values())
    click.echo(
        f"wrote {len(counts)} tables, {total:,} rows, to {out_dir} "
        f"in {time.monotonic() - started:.1f} s"
    )


@cli.command()
@click.option(
    "--warehouse",
    type=click.Path(path_type=Path, dir_okay=False),
    default=DEFAULT_WAREHOUSE,
    show_default=True,
    help="Published DuckDB file to read.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    default=DEFAULT_EXPORTS,
    show_default=True,
    help="Directory (a link swapped atomically) to write <mart>.<format> into.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["parquet", "csv"]),
    default="parquet",
    show_default=True,
)
def export(warehouse: Path, out_dir: Path, fmt: str) -> None:
    """Write every mart to DIR/<mart>.<format> with a manifest.json, atomically."""
    from gtm_analytics.export import export as run_export

    outcome = run_export(warehouse, out_dir, fmt)
    click.echo(f"exported {outcome.marts} marts to {outcome.out} ({fmt})")


@cli.command()
@click.option(
    "--warehouse",
    type=click.Path(path_type=Path, dir_okay=False),
    default=DEFAULT_WAREHOUSE,
    show_default=True,
    help="Published DuckDB file to read.",
)
@click.option(
    "--out",
    "out_file",
    type=click.Path(path_type=Path, dir_okay=False),
    default=DEFAULT_REPORT,
    show_default=True,
    help="The dashboard: one self-contained HTML file.",
)
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=25,
    show_default=True,
    help="Sequences, campaigns and users a list or selector shows; the rest are summed "
    "in one 'other' row.",
)
def report(warehouse: Path, out_file: Path, top: int) -> None:
    """Write the dashboard, one HTML file that needs no network to view."""
    from gtm_analytics.report import Limits, write_report

    written = write_report(warehouse, out_file, Limits(rows=top, options=top))
    click.echo(f"wrote {written}")


def _float_list(_ctx: Any, _param: Any, value: str) -> list[float]:
    try:
        scales = [float(part) for part in value.split(",") if part.strip()]
    except ValueError as exc:
        raise click.BadParameter(f"expected numbers separated by commas, got {value!r}") from exc
    if not scales or any(scale <= 0 for scale in scales):
        raise click.BadParameter("scales must be positive numbers")
    return scales


@cli.command()
@click.option(
    "--scales",
    default="1,10",
    show_default=True,
    callback=_float_list,
    help="Comma-separated scales (millions of email events) to generate and build.",
)
@click.option("--runs", type=click.IntRange(min=1), default=3, show_default=True)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("bench-results"),
    show_default=True,
    help="Where bench.json and bench.md go.",
)
@click.option(
    "--work",
    "work_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Scratch folder for warehouses and logs (default: a temporary one, removed).",
)
@click.option(
    "--data",
    "data_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Where generated raw data goes and is reused from (default: inside --work).",
)
@click.option(
    "--skip",
    default="",
    help="Comma-separated measurements to leave out: full, floor, memory, incremental, "
    "raw_sql, pandas, postgres.",
)
@click.option("--threads", type=click.IntRange(min=1), help="dbt threads (default 2).")
@click.option("--memory-limit", default="2GB", show_default=True)
@click.option(
    "--memory-scale",
    type=float,
    default=10.0,
    show_default=True,
    help="Scale of the memory-limited build (else the largest requested scale below it).",
)
@click.option(
    "--postgres-scale",
    type=float,
    default=1.0,
    show_default=True,
    help="Scale of the PostgreSQL build (else the largest requested scale below it).",
)
@click.option(
    "--timeout",
    "timeout_s",
    type=click.FloatRange(min=1),
    help="Seconds before one measured process is killed (default: none).",
)
@click.option(
    "--docs/--no-docs",
    default=True,
    show_default=True,
    help="Whether the measured builds also publish dbt's docs page, as `gtm build` does.",
)
def bench(
    scales: list[float],
    runs: int,
    out_dir: Path,
    work_dir: Path | None,
    data_dir: Path | None,
    skip: str,
    threads: int | None,
    memory_limit: str,
    memory_scale: float,
    postgres_scale: float,
    timeout_s: float | None,
    docs: bool,
) -> None:
    """Measure builds at several scales against raw SQL, pandas and PostgreSQL."""
    from gtm_analytics.bench import Options, run_bench

    options = Options(
        scales=scales,
        runs=runs,
        out=out_dir,
        work=work_dir,
        data=data_dir,
        skip={part.strip() for part in skip.split(",") if part.strip()},
        threads=threads,
        memory_limit=memory_limit,
        memory_scale=memory_scale,
        postgres_scale=postgres_scale,
        timeout_s=timeout_s,
        docs=docs,
    )
    run_bench(options, echo=click.echo)
    click.echo(f"wrote {options.out / 'bench.json'} and {options.out / 'bench.md'}")


def main() -> None:
    """Entry point: run the group, turning GtmError into one line and exit code 1."""
    try:
        cli.main(standalone_mode=False)
    except GtmError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
