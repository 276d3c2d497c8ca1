"""The headline sequence metrics computed with pandas from a raw Parquet directory.

This is the alternative `gtm bench` measures the warehouse against: what an analyst
would write in a notebook to get, per sequence, the enrollments, the emails sent and the
open, click, reply and meeting counts and rates, straight from the raw files. It follows
the rules of the shared sequence spec (sequences.md) that these figures depend on, so
its numbers must equal the `sequence_performance` mart (and the sum of
`fct_sequence_enrollments.emails_sent`); `gtm bench` and tests/python/test_bench.py
check that.

    python benchmarks/pandas_sequence_metrics.py RAW_DIR [--out FILE.parquet|FILE.csv]

What it has to reproduce, because the raw data has it (see the raw contract):

* enum values in any case with spaces around; booleans may be null;
* repeated primary keys (the latest `updated_at` wins for enrollments; other copies are
  the same record);
* rows whose foreign key names no parent row, which the warehouse keeps out of every
  figure;
* the as-of instant (the latest instant in the raw event tables) that closes every open
  enrollment and hides later events;
* only started enrollments count; bot events count nowhere; a reply or a meeting can be
  known from `unenroll_source` alone; meetings count up to 7 days after the enrollment
  ended (var `meeting_window_days`'s default).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

MEETING_WINDOW_DAYS = 7

# The raw event columns whose latest value is the default as-of instant (int_as_of).
AS_OF_COLUMNS = {
    "sequence_emails": ["sent_at"],
    "email_events": ["occurred_at"],
    "inbound_emails": ["received_at"],
    "tasks": ["created_at"],
    "meetings": ["booked_at"],
    "sequence_enrollments": ["updated_at"],
    "deals": ["created_at", "closed_at"],
    "web_sessions": ["started_at"],
    "pageviews": ["viewed_at"],
    "form_submissions": ["submitted_at"],
    "marketing_email_events": ["occurred_at"],
    "asset_clicks": ["clicked_at"],
}

METRICS = ("opened", "clicked", "replied", "meeting")


def _read(raw_dir: Path, table: str, columns: list[str]) -> pd.DataFrame:
    frame = pd.read_parquet(raw_dir / f"{table}.parquet", columns=columns)
    for column in columns:
        series = frame[column]
        # Parquet holds instants as timestamps with a zone; a text column (a file written
        # by another tool) is parsed as ISO-8601, no offset meaning UTC.
        if column.endswith("_at") and not pd.api.types.is_datetime64_any_dtype(series):
            frame[column] = pd.to_datetime(series, utc=True, format="ISO8601")
        elif column.endswith("_at") and getattr(series.dt, "tz", None) is None:
            frame[column] = series.dt.tz_localize("UTC")
    return frame


def _enum(series: pd.Series) -> pd.Series:
    return series.str.strip().str.upper()


def _boolean(series: pd.Series) -> pd.Series:
    """true/false, 1/0, t/f as booleans; anything else (null included) is null."""
    if pd.api.types.is_bool_dtype(series):
        return series.astype("boolean")
    text = series.astype("string").str.strip().str.lower()
    return text.map({"true": True, "t": True, "1": True, "false": False, "f": False, "0": False})


def _orphans(child: pd.DataFrame, column: str, parent_keys: pd.Series) -> pd.Series:
    """Rows whose non-null foreign key names no parent row."""
    return child[column].notna() & ~child[column].isin(parent_keys)


def sequence_metrics(raw_dir: Path) -> pd.DataFrame:
    """One row per sequence: the headline figures of the `sequence_performance` mart."""
    raw_dir = Path(raw_dir)

    # As of: the latest instant of any raw event table (every row, orphans included).
    as_of = max(
        _read(raw_dir, table, [column])[column].max()
        for table, columns in AS_OF_COLUMNS.items()
        for column in columns
    )

    users = _read(raw_dir, "users", ["user_id"])
    companies = _read(raw_dir, "companies", ["company_id"])
    contacts = _read(raw_dir, "contacts", ["contact_id", "company_id"])
    templates = _read(raw_dir, "email_templates", ["template_id"])
    steps = _read(raw_dir, "sequence_steps", ["step_id", "sequence_id", "template_id"])
    sequences = _read(raw_dir, "sequences", ["sequence_id", "name", "owner_user_id"])
    sequences = sequences.drop_duplicates("sequence_id")

    enrollments = _read(
        raw_dir,
        "sequence_enrollments",
        [
            "enrollment_id",
            "sequence_id",
            "contact_id",
            "enrolled_by_user_id",
            "company_id",
            "enrolled_at",
            "enrollment_state",
            "current_step_order",
            "ended_at",
            "unenroll_source",
            "error_type",
            "updated_at",
        ],
    )
    for column in ("enrollment_state", "unenroll_source", "error_type"):
        enrollments[column] = _enum(enrollments[column])
    # A repeated enrollment: the latest updated_at wins, the other columns break ties
    # (the warehouse's order, so that the same copy is kept).
    tie_breakers = [
        "sequence_id",
        "contact_id",
        "enrolled_by_user_id",
        "company_id",
        "enrolled_at",
        "enrollment_state",
        "current_step_order",
        "ended_at",
        "unenroll_source",
        "error_type",
    ]
    enrollments = enrollments.sort_values(
        ["enrollment_id", "updated_at", *tie_breakers],
        ascending=[True, False, *[True] * len(tie_breakers)],
        na_position="last",
        kind="stable",
    ).drop_duplicates("enrollment_id")

    emails = _read(
        raw_dir,
        "sequence_emails",
        [
            "email_id",
            "enrollment_id",
            "step_id",
            "template_id",
            "sender_user_id",
            "contact_id",
            "sent_at",
        ],
    ).drop_duplicates("email_id")
    events = _read(
        raw_dir, "email_events", ["event_id", "email_id", "event_type", "occurred_at", "is_bot"]
    )
    events = events.drop_duplicates("event_id")
    inbound = _read(
        raw_dir,
        "inbound_emails",
        ["inbound_email_id", "contact_id", "received_at", "in_reply_to_email_id", "is_auto_reply"],
    ).drop_duplicates("inbound_email_id")
    meetings = _read(
        raw_dir, "meetings", ["meeting_id", "contact_id", "owner_user_id", "booked_at"]
    ).drop_duplicates("meeting_id")

    # Rows whose parent does not exist are kept out of every figure. The parent is the
    # whole de-duplicated parent table, orphans included.
    all_sequence_ids = sequences["sequence_id"]
    sequences = sequences[~_orphans(sequences, "owner_user_id", users["user_id"])]
    all_enrollment_ids = enrollments["enrollment_id"]
    enrollments = enrollments[
        ~(
            _orphans(enrollments, "sequence_id", all_sequence_ids)
            | _orphans(enrollments, "contact_id", contacts["contact_id"])
            | _orphans(enrollments, "enrolled_by_user_id", users["user_id"])
            | _orphans(enrollments, "company_id", companies["company_id"])
        )
    ]
    all_email_ids = emails["email_id"]
    emails = emails[
        ~(
            _orphans(emails, "enrollment_id", all_enrollment_ids)
            | _orphans(emails, "step_id", steps["step_id"])
            | _orphans(emails, "template_id", templates["template_id"])
            | _orphans(emails, "sender_user_id", users["user_id"])
            | _orphans(emails, "contact_id", contacts["contact_id"])
        )
    ]
    events = events[~_orphans(events, "email_id", all_email_ids)]
    inbound = inbound[
        ~(
            _orphans(inbound, "contact_id", contacts["contact_id"])
            | _orphans(inbound, "in_reply_to_email_id", all_email_ids)
        )
    ]
    meetings = meetings[
        ~(
            _orphans(meetings, "contact_id", contacts["contact_id"])
            | _orphans(meetings, "owner_user_id", users["user_id"])
        )
    ]

    # The enrollment as of as_of: not started yet, or not ended yet.
    state = enrollments["enrollment_state"].where(
        ~(
            enrollments["enrollment_state"].isin(["FINISHED", "UNENROLLED"])
            & (enrollments["ended_at"] > as_of)
        ),
        "EXECUTING",
    )
    state = state.where(~(enrollments["enrolled_at"] > as_of), "SCHEDULED")
    end_known = enrollments["ended_at"].isna() | (enrollments["ended_at"] <= as_of)
    enrollments = enrollments.assign(
        state=state,
        ended_at=enrollments["ended_at"].where(end_known),
        unenroll_source=enrollments["unenroll_source"].where(end_known),
        error_type=enrollments["error_type"].where(end_known),
    )
    started = enrollments[enrollments["state"] != "SCHEDULED"].copy()
    started["window_end_at"] = started["ended_at"].fillna(as_of)

    # Emails sent by started enrollments, and their human events.
    sent = emails[emails["sent_at"] <= as_of].merge(started[["enrollment_id"]], on="enrollment_id")
    events = events[events["occurred_at"] <= as_of]
    human = events[~_boolean(events["is_bot"]).fillna(False).astype(bool)]
    event_type = _enum(human["event_type"])
    opened_emails = human.loc[event_type == "OPEN", "email_id"]
    clicked_emails = human.loc[event_type == "CLICK", "email_id"]
    per_enrollment = (
        sent.assign(
            opened=sent["email_id"].isin(opened_emails),
            clicked=sent["email_id"].isin(clicked_emails),
        )
        .groupby("enrollment_id")
        .agg(emails_sent=("email_id", "size"), opened=("opened", "any"), clicked=("clicked", "any"))
    )

    # A reply: a human inbound email of the contact inside the window, or the
    # unenrollment says so.
    replies = inbound[~_boolean(inbound["is_auto_reply"]).fillna(False).astype(bool)].merge(
        started[["enrollment_id", "contact_id", "enrolled_at", "window_end_at"]], on="contact_id"
    )
    replies = replies[
        (replies["received_at"] >= replies["enrolled_at"])
        & (replies["received_at"] <= replies["window_end_at"])
    ]
    replied = set(replies["enrollment_id"]) | set(
        started.loc[started["unenroll_source"].isin(["REPLY", "THREAD_REPLY"]), "enrollment_id"]
    )

    # A meeting: booked by the contact from enrollment to 7 days after the end (never
    # after as_of), or the unenrollment says so.
    window_end = (started["window_end_at"] + pd.Timedelta(days=MEETING_WINDOW_DAYS)).clip(
        upper=as_of
    )
    booked = meetings.merge(
        started.assign(meeting_window_end_at=window_end)[
            ["enrollment_id", "contact_id", "enrolled_at", "meeting_window_end_at"]
        ],
        on="contact_id",
    )
    booked = booked[
        (booked["booked_at"] >= booked["enrolled_at"])
        & (booked["booked_at"] <= booked["meeting_window_end_at"])
    ]
    met = set(booked["enrollment_id"]) | set(
        started.loc[started["unenroll_source"] == "MEETING", "enrollment_id"]
    )

    facts = started[["enrollment_id", "sequence_id"]].join(per_enrollment, on="enrollment_id")
    facts = facts.assign(
        emails_sent=facts["emails_sent"].fillna(0).astype("int64"),
        opened=facts["opened"].fillna(False).astype(bool),
        clicked=facts["clicked"].fillna(False).astype(bool),
        replied=facts["enrollment_id"].isin(replied),
        meeting=facts["enrollment_id"].isin(met),
    )
    totals = facts.groupby("sequence_id").agg(
        total_enrollments=("enrollment_id", "size"),
        emails_sent=("emails_sent", "sum"),
        **{f"{metric}_count": (metric, "sum") for metric in METRICS},
    )

    result = sequences[["sequence_id", "name"]].rename(columns={"name": "sequence_name"})
    result = result.join(totals, on="sequence_id")
    count_columns = ["total_enrollments", "emails_sent", *[f"{m}_count" for m in METRICS]]
    result[count_columns] = result[count_columns].fillna(0).astype("int64")
    denominator = result["total_enrollments"].where(result["total_enrollments"] > 0)
    for metric in METRICS:
        result[f"{metric}_rate"] = result[f"{metric}_count"] / denominator
    columns = ["sequence_id", "sequence_name", *count_columns, *[f"{m}_rate" for m in METRICS]]
    return result[columns].sort_values("sequence_id").reset_index(drop=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("raw_dir", type=Path, help="a raw directory of Parquet files")
    parser.add_argument("--out", type=Path, help="write the table here (.parquet or .csv)")
    args = parser.parse_args(argv)
    result = sequence_metrics(args.raw_dir)
    if args.out is None:
        print(result.to_string(index=False))
    elif args.out.suffix == ".csv":
        result.to_csv(args.out, index=False)
    else:
        result.to_parquet(args.out, index=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
