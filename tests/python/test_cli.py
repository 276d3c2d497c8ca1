"""The `gtm` command line: demo build, publishing, argument errors."""

from __future__ import annotations

from pathlib import Path

from conftest import PROJECT_DIR, query, run_gtm
from gtm_analytics.cli import _parse_vars


def test_demo_build_publishes_what_readers_and_the_next_build_need(
    demo_warehouse: Path,
) -> None:
    relations = {
        (schema, name)
        for schema, name in query(
            demo_warehouse,
            "select schema_name, table_name from duckdb_tables() "
            "union all select schema_name, view_name from duckdb_views() where not internal",
        )
    }
    schemas = {schema for schema, _name in relations}
    assert {"raw", "marts", "audit"} <= schemas
    # The landing views read files a BI reader may not have: they are not published.
    assert "landing" not in schemas
    # Staging: only the incremental tables, which the next build adds to.
    assert {name for schema, name in relations if schema == "staging"} == {
        f"stg_hubspot__{table}"
        for table in ("email_events", "pageviews", "web_sessions", "marketing_email_events")
    }
    # Intermediate: the as-of instant and the four tables the mart views read.
    assert {name for schema, name in relations if schema == "intermediate"} == {
        "int_as_of",
        "int_sequence_enrollments_summarized",
        "int_sequence_enrollment_cohorts",
        "int_attribution_credits_dealt",
        "int_touchpoints_unioned",
    }
    enrollments = query(demo_warehouse, "select count(*) from marts.fct_sequence_enrollments")
    assert enrollments[0][0] > 1000


def test_demo_build_leaves_only_the_warehouse_and_its_docs(demo_warehouse: Path) -> None:
    assert sorted(p.name for p in demo_warehouse.parent.iterdir()) == [
        ".gtm.lock",
        "gtm.duckdb",
        "gtm_docs.html",
    ]


def test_build_publishes_the_static_docs_site(demo_warehouse: Path) -> None:
    page = (demo_warehouse.parent / "gtm_docs.html").read_text(encoding="utf-8")
    # The static page embeds the manifest and catalog: the marts and their docs are in it.
    assert "sequence_performance" in page and "campaign_overview" in page
    assert "gtm_dashboard" in page, "the dashboard exposure is documented"


def test_build_reports_duplicates_and_orphans(demo_warehouse: Path) -> None:
    counts = dict(
        (table, (duplicates, rejected))
        for table, duplicates, rejected in query(
            demo_warehouse,
            "select table_name, duplicates_removed, rejected_rows "
            "from audit.audit_raw_table_counts",
        )
    )
    assert len(counts) == 23
    assert counts["email_events"][0] > 0, "the demo data repeats email events"
    assert counts["sequence_enrollments"][0] > 0, "the demo data repeats enrollments"
    assert sum(rejected for _dup, rejected in counts.values()) > 0, "the demo data has orphans"


def test_latest_updated_at_wins_among_repeated_enrollments(demo_warehouse: Path) -> None:
    # For every repeated enrollment id in the raw seed, staging keeps the copy with the
    # latest updated_at: compare with an independent computation over the raw text.
    mismatches = query(
        demo_warehouse,
        """
        with raw as (
            select
                enrollment_id,
                upper(trim(enrollment_state)) as enrollment_state,
                cast(timezone('UTC', cast(updated_at as timestamptz)) as timestamp) as updated_at
            from raw.sequence_enrollments
        ),
        repeated as (
            select enrollment_id from raw group by enrollment_id having count(*) > 1
        ),
        latest as (
            select raw.enrollment_id, arg_max(raw.enrollment_state, raw.updated_at) as state
            from raw
            inner join repeated on raw.enrollment_id = repeated.enrollment_id
            group by raw.enrollment_id
        )
        select latest.enrollment_id
        from latest
        inner join marts.fct_sequence_enrollments as staged
            on latest.enrollment_id = staged.enrollment_id
        where staged.enrollment_state <> latest.state
        """,
    )
    repeated = query(
        demo_warehouse,
        "select count(*) from (select enrollment_id from raw.sequence_enrollments "
        "group by 1 having count(*) > 1)",
    )
    assert repeated[0][0] > 0
    assert mismatches == []


def test_missing_raw_dir_is_one_clear_error(tmp_path: Path) -> None:
    result = run_gtm(
        "build",
        "--raw-dir",
        str(tmp_path / "nowhere"),
        "--warehouse",
        str(tmp_path / "w.duckdb"),
        tmp_dir=tmp_path,
    )
    assert result.returncode == 1
    assert "error: raw directory" in result.stderr
    assert "does not exist" in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "w.duckdb").exists()


def test_var_values_are_read_as_yaml() -> None:
    assert _parse_vars(("meeting_window_days=0", "as_of=2025-06-01T00:00:00Z")) == {
        "meeting_window_days": 0,
        "as_of": "2025-06-01T00:00:00Z",
    }
    assert _parse_vars(("sender_score_min_completed=50",)) == {"sender_score_min_completed": 50}


def test_bad_var_is_a_usage_error(tmp_path: Path) -> None:
    result = run_gtm("build", "--var", "no_equals_sign", tmp_dir=tmp_path)
    assert result.returncode == 2
    assert "KEY=VALUE" in result.output
    assert "Traceback" not in result.output


def test_build_notes_name_table_column_rule_count_and_keys() -> None:
    # Raw contract, "Bad input": every rule ends in a message naming the table, the
    # column, the rule, how many rows broke it and a few example keys.
    from gtm_analytics.build import BuildOutcome, TableCounts, _summarise

    rejected = (
        "column company_id: 1 row breaks the rule 'must name an existing "
        "companies.company_id' (e.g. con_2)"
    )
    outcome = BuildOutcome(
        warehouse=None,
        location="test",
        table_counts=[
            TableCounts("deal_contacts", 10, 2, 0, "deal_id, contact_id", "d1|c1, d2|c2"),
            TableCounts("contacts", 5, 1, 1, "contact_id", "con_1", rejected),
            TableCounts("users", 3, 0, 0, "user_id"),
        ],
    )
    assert _summarise(outcome).warnings == [
        "raw table deal_contacts, columns deal_id, contact_id: 2 repeated rows de-duplicated "
        "by the rule 'a repeated primary key is one record, one copy is kept' "
        "(e.g. d1|c1, d2|c2)",
        "raw table contacts, column contact_id: 1 repeated row de-duplicated by the rule "
        "'a repeated primary key is one record, the copy with the latest updated_at is kept' "
        "(e.g. con_1)",
        f"raw table contacts, {rejected}; 1 row kept out of the marts, listed with the "
        "reason in audit.audit_rejected_rows",
    ]


def test_load_refuses_a_target_that_is_not_spark(tmp_path: Path) -> None:
    result = run_gtm(
        "load", "--target", "duckdb", "--raw-dir", str(PROJECT_DIR / "seeds"), tmp_dir=tmp_path
    )
    assert result.returncode == 1
    assert "error: gtm load writes into a Spark catalog; target duckdb is duckdb" in result.stderr
    assert "Traceback" not in result.output


def test_load_names_every_missing_raw_table_before_connecting(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "users.csv").write_text("user_id,email,full_name,team_name,is_active\n")
    # Nothing listens on port 1: the check must come before any connection.
    result = run_gtm(
        "load",
        "--target",
        "spark_thrift",
        "--raw-dir",
        str(raw),
        tmp_dir=tmp_path,
        env={"GTM_SPARK_THRIFT_PORT": "1"},
    )
    assert result.returncode == 1
    assert "has no file for companies (companies.parquet or companies.csv)" in result.stderr
    assert "users (" not in result.stderr and "campaign_spend" not in result.stderr
    assert "Traceback" not in result.output


def test_load_copies_each_file_as_a_parquet_table_and_drops_absent_optional(
    tmp_path: Path,
) -> None:
    from gtm_analytics.load import load_statements

    csv, parquet = tmp_path / "users.csv", tmp_path / "it's.parquet"
    statements = load_statements(
        {"users": csv, "deals": parquet}, ["campaign_spend"], "hubspot_raw"
    )
    assert statements[0] == "create database if not exists hubspot_raw"
    users = next(s for s in statements if "gtm_load_users using" in s)
    # CSV: every column as text, the header names them, RFC 4180 quotes.
    assert f"using csv options (path 'file://{csv}'" in users
    assert "inferSchema 'false'" in users and "escape '\"'" in users
    assert "create table hubspot_raw.users using parquet as select * from gtm_load_users" in (
        statements
    )
    deals = next(s for s in statements if "gtm_load_deals using" in s)
    assert f"using parquet options (path 'file://{tmp_path}/it\\'s.parquet')" in deals
    assert statements[-1] == "drop table if exists hubspot_raw.campaign_spend"
