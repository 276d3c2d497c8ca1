"""Do the alternatives compute the same figures as the warehouse?

The pandas script's output and the PostgreSQL build's `sequence_performance` mart are
compared, figure by figure, with the DuckDB warehouse (counts exactly, rates to 1e-9).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

# Figures compared between the pandas script and the marts.
PANDAS_COLUMNS = (
    "sequence_name",
    "total_enrollments",
    "emails_sent",
    "opened_count",
    "clicked_count",
    "replied_count",
    "meeting_count",
    "opened_rate",
    "clicked_rate",
    "replied_rate",
    "meeting_rate",
)


def _same(left: Any, right: Any) -> bool:
    if left is None or right is None:
        return left is None and right is None
    if isinstance(left, float) or isinstance(right, float):
        import math

        return math.isclose(float(left), float(right), rel_tol=1e-9, abs_tol=1e-12)
    if isinstance(left, int | float) and isinstance(right, int | float):
        return left == right
    try:
        from decimal import Decimal

        if isinstance(left, Decimal) or isinstance(right, Decimal):
            return Decimal(str(left)) == Decimal(str(right))
    except ArithmeticError:
        return False
    return str(left) == str(right)


def _compare_rows(
    left: Mapping[Any, Mapping[str, Any]],
    right: Mapping[Any, Mapping[str, Any]],
    columns: Sequence[str],
) -> dict[str, Any]:
    differences: dict[str, int] = {}
    examples: list[str] = []
    for key in sorted(set(left) | set(right), key=str):
        if key not in left or key not in right:
            differences["(missing rows)"] = differences.get("(missing rows)", 0) + 1
            continue
        for column in columns:
            if not _same(left[key].get(column), right[key].get(column)):
                differences[column] = differences.get(column, 0) + 1
                if len(examples) < 5:
                    examples.append(
                        f"{key} {column}: {left[key].get(column)!r} vs {right[key].get(column)!r}"
                    )
    return {
        "rows": len(set(left) | set(right)),
        "equal": not differences,
        "differences": differences,
        "examples": examples,
    }


def mart_sequence_metrics(warehouse: Path) -> dict[str, dict[str, Any]]:
    """The figures the pandas script computes, read from the marts of a warehouse."""
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        cursor = con.execute(
            "select p.sequence_id, p.sequence_name, p.total_enrollments, "
            "coalesce(f.emails_sent, 0) as emails_sent, p.opened_count, p.clicked_count, "
            "p.replied_count, p.meeting_count, p.opened_rate, p.clicked_rate, p.replied_rate, "
            "p.meeting_rate "
            "from marts.sequence_performance as p left join ("
            "  select sequence_id, sum(emails_sent) as emails_sent"
            "  from marts.fct_sequence_enrollments where is_started group by sequence_id"
            ") as f on p.sequence_id = f.sequence_id"
        )
        names = [column[0] for column in cursor.description]
        return {row[0]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}
    finally:
        con.close()


def compare_pandas_with_mart(pandas_out: Path, warehouse: Path) -> dict[str, Any]:
    """Every figure of the pandas script's output against the marts."""
    import pyarrow.parquet as pq

    rows = pq.read_table(pandas_out).to_pylist()
    computed = {row["sequence_id"]: row for row in rows}
    result = _compare_rows(mart_sequence_metrics(warehouse), computed, PANDAS_COLUMNS)
    return {"check": "pandas script = sequence_performance mart", **result}


def compare_postgres_with_duckdb(
    port: int, user: str, database: str, warehouse: Path
) -> dict[str, Any]:
    """sequence_performance built on PostgreSQL against DuckDB's, every column."""
    import duckdb
    import psycopg2

    con = psycopg2.connect(host="127.0.0.1", port=port, user=user, dbname=database)
    try:
        with con.cursor() as cursor:
            cursor.execute("select * from marts.sequence_performance")
            names = [column.name for column in cursor.description]
            postgres = {row[0]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}
    finally:
        con.close()
    duck = duckdb.connect(str(warehouse), read_only=True)
    try:
        cursor = duck.execute("select * from marts.sequence_performance")
        duck_names = [column[0] for column in cursor.description]
        reference = {row[0]: dict(zip(duck_names, row, strict=True)) for row in cursor.fetchall()}
    finally:
        duck.close()
    columns = [name for name in duck_names if name in names and name != "created_at"]
    result = _compare_rows(reference, postgres, columns)
    return {"check": "sequence_performance on PostgreSQL = on DuckDB", **result}
