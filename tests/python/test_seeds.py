"""The committed demo seeds are exactly what the generator writes by default."""

from __future__ import annotations

from pathlib import Path

from conftest import PROJECT_DIR
from gtm_analytics.raw_tables import RAW_TABLES


def test_committed_seeds_equal_generator_output(raw_csv_dir: Path) -> None:
    seeds = PROJECT_DIR / "seeds"
    for table in RAW_TABLES:
        committed = seeds / f"{table}.csv"
        generated = raw_csv_dir / f"{table}.csv"
        assert committed.exists(), f"seeds/{table}.csv is not committed"
        assert committed.read_bytes() == generated.read_bytes(), (
            f"seeds/{table}.csv differs from `gtm generate --out DIR --format csv`; "
            "regenerate the seeds with: gtm generate --out seeds --format csv"
        )
    extra = {p.stem for p in seeds.glob("*.csv")} - set(RAW_TABLES)
    assert extra == set(), f"seeds with no raw table: {extra}"
