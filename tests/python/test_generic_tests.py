"""The project's consolidated generic tests find what they must, and only that.

`primary_key` (no null, no repeat), `not_null_columns` and `accepted_ranges`
(every listed column of a model in one scan) replace a `unique`, a `not_null` and
an `accepted_range` test per column;
`primary_key` and `unique_combination_of_columns` find candidates by a hash of
the key first (macro broken_keys), so their cases cover repeats, null parts and
key expressions; `passes_rows_through` (a view keeps its table's rows and
columns) finds lost, repeated and changed rows; `deduplicate` keeps one row per
key whatever the order of the copies. Each case runs the macro's SQL through
`dbt show --inline` on DuckDB, so these tests can fail."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb

from conftest import PROJECT_DIR

DBT = Path(sys.executable).with_name("dbt")


def _show(sql: str, tmp_path: Path, database: str = ":memory:") -> list[dict]:
    """The rows `sql` (dbt Jinja) returns on `database` (in memory by default)."""
    env = dict(os.environ)
    env.update(
        GTM_DUCKDB_PATH=database,
        DBT_TARGET_PATH=str(tmp_path / "target"),
        DBT_LOG_PATH=str(tmp_path / "logs"),
    )
    completed = subprocess.run(
        [str(DBT), "show", "--inline", sql, "--output", "json", "--limit", "100", "--quiet"],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return json.loads(completed.stdout)["show"]


def test_primary_key_and_not_null_columns_find_broken_rows(tmp_path) -> None:
    rows = (
        "(select * from (values ('a', 'x', 1), ('b', null, 2), ('b', 'y', 3), "
        "(null, 'z', null)) as t(k, c, n))"
    )
    sql = f"""
        select 'pk' as test, cast(k as varchar) as detail, occurrences as n
        from ({{{{ test_primary_key(model="{rows}", column_name='k') }}}}) as pk
        union all
        select 'pk2', k || '/' || coalesce(c, '(null)'), occurrences
        from ({{{{ test_primary_key(model="{rows}", columns=['k', 'c']) }}}}) as pk2
        union all
        select 'nn', column_name, null_rows
        from ({{{{ test_not_null_columns(model="{rows}", columns=['k', 'c', 'n']) }}}}) as nn
        union all
        select 'ar', column_name || ' ' || rule, failing_rows
        from ({{{{ test_accepted_ranges(model="{rows}", ranges=[
            {{'column': 'n', 'min_value': 2}}, {{'column': 'n', 'max_value': 2}},
            {{'column': 'n', 'min_value': 0, 'max_value': 9}}]) }}}}) as ar
    """
    found = {(r["test"], r["detail"], r["n"]) for r in _show(sql, tmp_path)}
    assert found == {
        ("pk", "b", 2),  # repeated
        ("pk", None, 1),  # null key
        # with (k, c): b/null and b/y differ; the null parts are broken keys
        ("pk2", "b/(null)", 1),
        ("pk2", None, 1),
        ("nn", "k", 1),
        ("nn", "c", 1),
        ("nn", "n", 1),
        # n is 1, 2, 3 and null: nulls pass, each bound is inclusive
        ("ar", "n >= 2", 1),
        ("ar", "n <= 2", 1),
    }


def test_table_rules_finds_every_broken_rule_of_a_model_in_one_node(tmp_path) -> None:
    # table_rules: the keys, not-null columns, accepted values, ranges and
    # expressions of one model, one row per broken rule (table, column, rule,
    # rows, an example key)
    rows = (
        "(select * from (values ('a', 'x', 1), ('b', null, 2), ('b', 'y', 3), "
        "(null, 'z', null)) as t(k, c, n))"
    )
    sql = f"""
        select column_name, rule, failing_rows as n, example_key
        from ({{{{ test_table_rules(model="{rows}",
            primary_keys=[['k'], ['k', 'c']],
            unique_combinations=[['k', "coalesce(c, 'y')"], ['c']],
            not_null_columns=['k', 'c', 'n'],
            accepted_values=[{{'column': 'c', 'values': ['x', 'y']}}],
            ranges=[{{'column': 'n', 'min_value': 2}}, {{'column': 'n', 'max_value': 2}},
                {{'column': 'n', 'min_value': 0, 'max_value': 9}}],
            expressions=[{{'expression': 'n < 3'}},
                {{'expression': 'n < 2', 'where': "k = 'a'"}},
                {{'expression': 'n > 1', 'where': "k = 'a'"}}]) }}}}) as rules
    """
    found = {(r["column_name"], r["rule"], r["n"], r["example_key"]) for r in _show(sql, tmp_path)}
    pk = "primary key: no part null, no two rows alike"
    unique = "unique combination: no two rows alike"
    assert found == {
        ("k", pk, 3, "(null)"),  # b twice, one null
        ("k, c", pk, 2, "(null)|z"),  # the null parts: b/null and null/z
        ("k, coalesce(c, 'y')", unique, 2, None),  # b/null = b/y; no example for an expression
        ("k", "must not be null", 1, None),
        ("c", "must not be null", 1, None),
        ("n", "must not be null", 1, None),
        ("c", "must be one of x, y", 1, None),  # z; the null passes
        ("n", ">= 2", 1, None),  # nulls pass, bounds are inclusive
        ("n", "<= 2", 1, None),
        ("n < 3", "must be true", 2, None),  # 3 and null
        ("n > 1", "must be true", 1, None),  # only where k = 'a'
    }


def test_unique_combination_of_columns_finds_repeats_of_key_expressions(tmp_path) -> None:
    # (a, null) twice repeats (null parts compare equal, as in a group by);
    # with coalesce(c, '(none)') the null c also equals the literal '(none)'
    rows = (
        "(select * from (values ('a', null), ('a', null), ('a', '(none)'), "
        "('b', 'x'), ('b', 'y')) as t(k, c))"
    )
    sql = f"""
        select 'plain' as test, k || '/' || coalesce(c, '(null)') as detail, occurrences as n
        from ({{{{ test_unique_combination_of_columns(model="{rows}",
            combination_of_columns=['k', 'c']) }}}}) as plain
        union all
        select 'coalesced', k, occurrences
        from ({{{{ test_unique_combination_of_columns(model="{rows}",
            combination_of_columns=['k', "coalesce(c, '(none)')"]) }}}}) as coalesced
    """
    found = {(r["test"], r["detail"], r["n"]) for r in _show(sql, tmp_path)}
    assert found == {("plain", "a/(null)", 2), ("coalesced", "a", 3)}


def test_passes_rows_through_finds_lost_repeated_and_changed_rows(tmp_path) -> None:
    # `relation` and views of it that add a `name`: one passes every row
    # through unchanged; the others repeat a row, lose one, change a shared
    # value, or leave the added name null
    database = tmp_path / "views.duckdb"
    with duckdb.connect(str(database)) as con:
        con.execute(
            "create table relation as select * from (values ('a', 1), ('b', 2), "
            "('c', null)) as t(k, v)"
        )
        views = {
            "same": "select *, 'n' as name from relation",
            "repeated": "select *, 'n' as name from relation union all "
            "select *, 'n' from relation where k = 'a'",
            "lost": "select *, 'n' as name from relation where k != 'b'",
            "changed": "select k, case when k = 'c' then 0 else v end as v, 'n' as name "
            "from relation",
            "unnamed": "select *, case when k != 'b' then 'n' end as name from relation",
        }
        for view, body in views.items():
            con.execute(f"create view {view} as {body}")

    def relation(name: str) -> str:
        return f"api.Relation.create(database='views', schema='main', identifier='{name}')"

    sql = " union all ".join(
        f"select '{view}' as view, check_name from "
        f"({{{{ test_passes_rows_through(model={relation(view)}, "
        f"relation={relation('relation')}, not_null_columns=['name']) }}}}) as {view}"
        for view in views
    )
    found = {
        (r["view"], r["check_name"].split(" (")[0]) for r in _show(sql, tmp_path, str(database))
    }
    assert found == {
        ("repeated", "rows"),
        ("repeated", "sum of a hash of the 2 shared columns"),
        ("lost", "rows"),
        ("lost", "sum of a hash of the 2 shared columns"),
        ("changed", "sum of a hash of the 2 shared columns"),
        ("unnamed", "rows with name null"),
    }


def test_deduplicate_keeps_the_first_copy_of_repeated_keys_only(tmp_path) -> None:
    # key k1 repeats three times (latest u wins, then v breaks the tie), k2 once
    rows = (
        "(select * from (values ('k1', 1, 'b'), ('k1', 3, 'z'), ('k1', 3, 'a'), "
        "('k2', 0, 'q')) as t(k, u, v))"
    )
    sql = f"""
        with source as {rows},
        deduplicated as (
            {{{{ deduplicate('source', ['k'], ['u desc', 'v']) }}}}
        )
        select k, u, v from deduplicated order by k
    """
    assert _show(sql, tmp_path) == [
        {"k": "k1", "u": 3, "v": "a"},
        {"k": "k2", "u": 0, "v": "q"},
    ]


def test_gtm_build_names_table_column_and_rule_of_a_failed_table_rules_test() -> None:
    # `gtm build` reads the stored failures of a failed table_rules node: a line
    # per broken rule, naming the node, table, column and rule (and a key)
    from types import SimpleNamespace

    from gtm_analytics.build import _failure_messages

    node = SimpleNamespace(
        name="table_rules_dim_users_user_name___user_id_",
        relation_name='"gtm"."audit"."table_rules_dim_users_0f"',
    )
    result = SimpleNamespace(
        exception=None,
        result=SimpleNamespace(results=[SimpleNamespace(status="fail", node=node)]),
    )
    queries: list[str] = []

    def read_rows(sql: str) -> list[tuple]:
        queries.append(sql)
        return [
            ("dim_users", "user_id", "primary key: no part null, no two rows alike", 2, "u1"),
            ("dim_users", "user_name", "must not be null", 1, None),
        ]

    assert _failure_messages(result, read_rows) == [
        "data test table_rules_dim_users_user_name___user_id_ failed: table dim_users, "
        "column user_id: 2 rows break the rule 'primary key: no part null, no two rows "
        "alike' (e.g. u1)",
        "data test table_rules_dim_users_user_name___user_id_ failed: table dim_users, "
        "column user_name: 1 row breaks the rule 'must not be null'",
    ]
    assert queries and node.relation_name in queries[0]
