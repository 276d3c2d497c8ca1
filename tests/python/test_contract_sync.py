"""The raw contract is written once, in gtm_analytics.raw_tables; the dbt project's
copies (the raw_contract() macro, the landing views' YAML, the seeds' YAML) are
rendered from it by `gtm contract`. These tests fail when a copy drifts, and check
that the renderings say what the contract says."""

from __future__ import annotations

import re

import pytest
import yaml
from click.testing import CliRunner

from conftest import PROJECT_DIR
from gtm_analytics import contract_files
from gtm_analytics.cli import cli
from gtm_analytics.raw_tables import (
    EVENT_TIMES,
    FOREIGN_KEYS,
    OPTIONAL_TABLES,
    PRIMARY_KEYS,
    RAW_CONTRACT,
)


@pytest.mark.parametrize("relative", list(contract_files.rendered()))
def test_committed_copy_is_the_rendering(relative) -> None:
    committed = (PROJECT_DIR / relative).read_text()
    assert committed == contract_files.rendered()[relative], (
        f"{relative} differs from its rendering: run `gtm contract`"
    )


def test_gtm_contract_check_reports_drift(tmp_path, monkeypatch) -> None:
    for relative, text in contract_files.rendered().items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(text)
    monkeypatch.setenv("GTM_PROJECT_DIR", str(tmp_path))
    assert CliRunner().invoke(cli, ["contract", "--check"]).exit_code == 0
    edited = tmp_path / contract_files.SEEDS_YAML_PATH
    edited.write_text(edited.read_text().replace("  - name: users", "  - name: user"))
    result = CliRunner().invoke(cli, ["contract", "--check"])
    assert result.exit_code != 0 and "seeds/_seeds.yml" in str(result.exception)
    assert CliRunner().invoke(cli, ["contract"]).exit_code == 0
    assert edited.read_text() == contract_files.render_seeds_yaml()


def test_base_yaml_says_what_the_contract_says() -> None:
    document = yaml.safe_load(contract_files.render_base_yaml())
    models = {m["name"].removeprefix("base_hubspot__"): m for m in document["models"]}
    assert list(models) == list(RAW_CONTRACT)
    for table, columns in RAW_CONTRACT.items():
        dbt_columns = models[table]["columns"]
        assert [column["name"] for column in dbt_columns] == [c.name for c in columns], table
        for dbt_column, column in zip(dbt_columns, columns, strict=True):
            meta = dbt_column["meta"]
            assert meta["contract_type"] == column.type
            assert bool(meta.get("nullable", False)) == column.nullable
            assert tuple(meta.get("values", ())) == column.values
        (contract_test,) = [t["raw_contract"] for t in models[table]["data_tests"]]
        assert contract_test["arguments"]["table_name"] == table
        assert contract_test["config"]["store_failures"] is True


def test_macro_says_what_the_contract_says() -> None:
    macro = contract_files.render_macro()
    for table, columns in RAW_CONTRACT.items():
        block = macro[macro.index(f"        '{table}': {{") :]
        block = block[: block.index("\n        },")]
        names = re.findall(r"\{'name': '(\w+)', 'type': '(\w+)', 'nullable': (\w+)", block)
        assert names == [(c.name, c.type, str(c.nullable).lower()) for c in columns], table
        key = re.search(r"'primary_key': \[(.*?)\]", block).group(1)
        assert key == ", ".join(f"'{k}'" for k in PRIMARY_KEYS[table])
        foreign = re.findall(r"\{'column': '(\w+)', 'parent_table': '(\w+)'", block)
        assert foreign == [(f.column, f.parent_table) for f in FOREIGN_KEYS if f.table == table]
        assert f"'optional': {str(table in OPTIONAL_TABLES).lower()}" in block
        event_time = f"'{EVENT_TIMES[table]}'" if table in EVENT_TIMES else "none"
        assert f"'event_time': {event_time}," in block, table


def test_every_seed_column_loads_as_text() -> None:
    seeds = {s["name"]: s for s in yaml.safe_load(contract_files.render_seeds_yaml())["seeds"]}
    assert list(seeds) == list(RAW_CONTRACT)
    for table, columns in RAW_CONTRACT.items():
        expected = {c.name: contract_files.SEED_TEXT_TYPE for c in columns}
        assert seeds[table]["config"]["column_types"] == expected


def test_foreign_keys_name_contract_columns() -> None:
    for key in FOREIGN_KEYS:
        assert key.column in [c.name for c in RAW_CONTRACT[key.table]], key
        assert (key.parent_key,) == PRIMARY_KEYS[key.parent_table], key


def test_event_times_are_timestamp_columns() -> None:
    for table, column in EVENT_TIMES.items():
        types = {c.name: c.type for c in RAW_CONTRACT[table]}
        assert types.get(column) == "timestamp", (table, column)


def test_the_incremental_staging_models_are_the_event_tables() -> None:
    """The contract's EVENT_TIMES names the tables whose staging model is incremental;
    the models' own config must agree (the build reads both: dbt the config, `gtm
    build` the contract, to digest the raw rows of those tables while dbt parses)."""
    staging = PROJECT_DIR / "models" / "staging" / "hubspot"
    incremental = {
        path.stem.removeprefix("stg_hubspot__")
        for path in staging.glob("stg_hubspot__*.sql")
        if re.search(r"materialized\s*=\s*'incremental'", path.read_text())
    }
    assert incremental == set(EVENT_TIMES)
