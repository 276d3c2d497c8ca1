"""The raw contract is written twice on purpose - as dbt YAML meta (what the build
checks) and as Python (what the generator writes): these tests keep them equal."""

from __future__ import annotations

import yaml

from conftest import PROJECT_DIR
from gtm_analytics.raw_tables import OPTIONAL_TABLES, PRIMARY_KEYS, RAW_CONTRACT

BASE_YAML = PROJECT_DIR / "models/staging/hubspot/base/_hubspot__base_models.yml"
SEEDS_YAML = PROJECT_DIR / "seeds/_seeds.yml"
# The engine's text type: Spark (and Databricks) has no varchar without a length.
SEED_TEXT_TYPE = "{{ 'string' if target.type in ['spark', 'databricks'] else 'varchar' }}"


def _base_models() -> dict[str, dict]:
    document = yaml.safe_load(BASE_YAML.read_text())
    return {model["name"].removeprefix("base_hubspot__"): model for model in document["models"]}


def test_dbt_contract_equals_python_contract() -> None:
    models = _base_models()
    assert list(models) == list(RAW_CONTRACT)
    for table, columns in RAW_CONTRACT.items():
        dbt_columns = models[table]["columns"]
        assert [column["name"] for column in dbt_columns] == [c.name for c in columns], table
        for dbt_column, column in zip(dbt_columns, columns, strict=True):
            meta = dbt_column["meta"]
            where = f"{table}.{column.name}"
            assert meta["contract_type"] == column.type, where
            assert bool(meta.get("nullable", False)) == column.nullable, where
            assert tuple(meta.get("values", ())) == column.values, where


def test_contract_test_keys_are_the_primary_keys() -> None:
    for table, model in _base_models().items():
        (contract_test,) = [t["raw_contract"] for t in model["data_tests"]]
        assert contract_test["arguments"]["key_columns"] == list(PRIMARY_KEYS[table]), table
        assert contract_test["config"]["store_failures"] is True


def test_optional_tables_read_as_optional() -> None:
    for table in RAW_CONTRACT:
        sql = (PROJECT_DIR / f"models/staging/hubspot/base/base_hubspot__{table}.sql").read_text()
        assert ("optional=true" in sql) == (table in OPTIONAL_TABLES), table


def test_every_seed_column_loads_as_text() -> None:
    seeds = {seed["name"]: seed for seed in yaml.safe_load(SEEDS_YAML.read_text())["seeds"]}
    assert list(seeds) == list(RAW_CONTRACT)
    for table, columns in RAW_CONTRACT.items():
        assert seeds[table]["config"]["column_types"] == {c.name: SEED_TEXT_TYPE for c in columns}
