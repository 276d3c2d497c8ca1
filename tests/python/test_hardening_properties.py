"""Property-based tests: small random raw directories, built with `gtm build`, keep
every invariant, and the headline sequence metrics equal an independent computation.

Hypothesis draws the structure of a tiny CRM (users, contacts, sequences and steps,
enrollments in every state, their emails and events, replies, meetings, tasks, deals,
campaigns, web sessions, form submissions), with what real exports hold: enrollments
repeated with older content (the latest `updated_at` must win), events delivered twice,
orphan rows, extra and reordered columns, every accepted spelling of instants, booleans
and enums, and the optional `campaign_spend` file sometimes absent. Three such CRMs go
into each raw directory (ids prefixed), so that one `gtm build` checks more cases. All
examples reuse one workspace, so dbt reuses its parse. Half of them close at the latest
raw event (the default as_of), half at a fixed as_of in the middle of the data.

Checked on each build:
* every usable raw enrollment is in `fct_sequence_enrollments` exactly once, and every
  raw enrollment is there or in `audit_rejected_rows` (nothing lost);
* `sequence_performance` equals a pure-Python computation of sequences.md (started
  enrollments, unique contacts, currently enrolled, opened, clicked, replied, meeting,
  no-reply, bounced, unsubscribed), and so do the per-enrollment state and flags;
* rates and shares lie in [0, 1]; counts never exceed their denominators; every
  conversion's attribution shares sum to 1; enrollment-by-step adds up to enrollments;
* the duplicates removed per table are the ones written, and `gtm build` says so;
* the volume history gains this build, and a warning names exactly the tables whose
  row count fell below half of the previous build's (the first build runs against a
  copy of the demo warehouse, so drops are always seen); the freshness warnings name
  exactly the event tables whose latest instant is too old for as_of.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from conftest import query
from gtm_analytics.raw_tables import OPTIONAL_TABLES, PRIMARY_KEYS, RAW_CONTRACT, RAW_TABLES
from hardening_support import Workspace, notes, write_csv_table

DAY = 86_400
BASE = int(datetime(2025, 1, 6, tzinfo=UTC).timestamp())

# The raw columns whose latest value is the default as_of (sequences.md, "Precise rules").
AS_OF_COLUMNS = [
    ("sequence_emails", "sent_at"),
    ("email_events", "occurred_at"),
    ("inbound_emails", "received_at"),
    ("tasks", "created_at"),
    ("meetings", "booked_at"),
    ("sequence_enrollments", "updated_at"),
    ("deals", "created_at"),
    ("deals", "closed_at"),
    ("web_sessions", "started_at"),
    ("pageviews", "viewed_at"),
    ("form_submissions", "submitted_at"),
    ("marketing_email_events", "occurred_at"),
    ("asset_clicks", "clicked_at"),
]
# The freshness check's tables, columns and default thresholds in days (docs/reliability.md).
FRESHNESS = {
    "sequence_emails": ("sent_at", 3),
    "email_events": ("occurred_at", 3),
    "inbound_emails": ("received_at", 3),
    "tasks": ("created_at", 3),
    "meetings": ("booked_at", 7),
    "web_sessions": ("started_at", 3),
    "pageviews": ("viewed_at", 3),
    "form_submissions": ("submitted_at", 7),
    "asset_clicks": ("clicked_at", 7),
    "marketing_email_events": ("occurred_at", 90),
}
MEETING_WINDOW_DAYS = 7  # dbt_project.yml default

STATES = ["SCHEDULED", "EXECUTING", "PAUSED", "FINISHED", "UNENROLLED"]
UNENROLL_SOURCES = [
    "MANUAL",
    "WORKFLOW",
    "MEETING",
    "REPLY",
    "THREAD_REPLY",
    "ACCOUNT_REPLY",
    "ACCOUNT_MEETING",
    "SEQUENCE_DELETED",
    "ERROR",
]
EVENT_TYPES = ["OPEN", "CLICK", "BOUNCE", "UNSUBSCRIBE", "DELIVERED", "SPAM_REPORT"]
ACTIONS = ["AUTOMATED_EMAIL", "MANUAL_EMAIL_TASK", "CALL_TASK", "LINKEDIN_TASK", "TODO_TASK"]
TASK_TYPES = {"MANUAL_EMAIL_TASK": "EMAIL", "CALL_TASK": "CALL", "LINKEDIN_TASK": "LINKEDIN"}

COLUMN_TYPES = {
    table: {column.name: column.type for column in columns}
    for table, columns in RAW_CONTRACT.items()
}


@dataclass
class RawData:
    """A raw directory as typed Python rows (instants are epoch seconds)."""

    tables: dict[str, list[dict[str, Any]]]
    duplicates: Counter = field(default_factory=Counter)
    extra_columns: dict[str, list[str]] = field(default_factory=dict)
    shuffled: set[str] = field(default_factory=set)
    spend_file: bool = True
    style_seed: int = 0
    as_of: int | None = None  # var('as_of') of the build; None: the latest raw event


# --------------------------------------------------------------------------- #
# The strategy
# --------------------------------------------------------------------------- #

# Quarter-hour instants over 40 days: ties (a reply at the enrollment's instant) happen.
instants = st.integers(0, 40 * 24 * 4).map(lambda quarter: BASE + quarter * 900)
# Hypothesis tries the simplest example (every choice at its first value) first: the
# lists below start with a value that matters, so that even that example tests something.
yes_or_no = st.sampled_from([True, False])


@st.composite
def raw_data(draw: st.DrawFn) -> RawData:
    t: dict[str, list[dict[str, Any]]] = {table: [] for table in RAW_TABLES}
    duplicates: Counter = Counter()

    users = [f"u{i}" for i in range(draw(st.integers(1, 3)))]
    for user in users:
        t["users"].append(
            {
                "user_id": user,
                "email": f"{user}@example.test",
                "full_name": f"Doe, {user}",  # a comma: the CSV writer must quote it
                "team_name": draw(st.sampled_from([None, "Sales"])),
                "is_active": draw(st.booleans()),
            }
        )
    companies = [f"k{i}" for i in range(draw(st.integers(0, 2)))]
    for company in companies:
        t["companies"].append(
            {
                "company_id": company,
                "name": f"Company {company}",
                "domain": None,
                "industry": "Software",
                "created_at": BASE - 90 * DAY,
            }
        )
    contacts = [f"c{i}" for i in range(draw(st.integers(4, 8)))]
    for contact in contacts:
        created = draw(instants)
        t["contacts"].append(
            {
                "contact_id": contact,
                "email": f"{contact}@example.test",
                "first_name": "Ana",
                "last_name": None,
                "company_id": draw(st.sampled_from([None, *companies])),
                "lifecycle_stage": "lead",
                "created_at": created,
                "updated_at": created + DAY,
            }
        )
    templates = [f"t{i}" for i in range(draw(st.integers(1, 2)))]
    for template in templates:
        t["email_templates"].append(
            {
                "template_id": template,
                "name": template,
                "subject": "Hello",
                "created_at": BASE - 60 * DAY,
            }
        )
    sequence_steps: dict[str, list[dict[str, Any]]] = {}
    for q in range(draw(st.integers(1, 3))):
        sequence = f"q{q}"
        t["sequences"].append(
            {
                "sequence_id": sequence,
                "name": f"Sequence {q}",
                "folder_name": draw(st.sampled_from([None, "Outbound"])),
                "owner_user_id": draw(st.sampled_from(users)),
                "created_at": BASE - 60 * DAY,
                "is_deleted": draw(st.booleans()),
            }
        )
        steps = []
        for order in range(1, draw(st.integers(1, 3)) + 1):
            action = draw(st.sampled_from(ACTIONS))
            steps.append(
                {
                    "step_id": f"{sequence}s{order}",
                    "sequence_id": sequence,
                    "step_order": order,
                    "action_type": action,
                    "template_id": draw(st.sampled_from(templates))
                    if action.endswith("EMAIL") or action == "MANUAL_EMAIL_TASK"
                    else None,
                    "delay_days": order - 1,
                    "is_deleted": False,
                    "created_at": BASE - 60 * DAY,
                }
            )
        sequence_steps[sequence] = steps
        t["sequence_steps"].extend(steps)

    enrollments = []
    for e in range(draw(st.integers(8, 20))):
        sequence = draw(st.sampled_from(sorted(sequence_steps)))
        state = draw(st.sampled_from(["UNENROLLED", "FINISHED", *STATES, "UNENROLLED"]))
        enrolled = draw(instants)
        ended = enrolled + draw(st.integers(0, 20 * 24)) * 3600 if state in STATES[3:] else None
        # the sources that decide a fact (reply, meeting, bounce, unsubscribe) come often
        source = (
            draw(
                st.sampled_from(
                    [
                        "ERROR",
                        "MEETING",
                        "REPLY",
                        "THREAD_REPLY",
                        "MEETING",
                        None,
                        *UNENROLL_SOURCES,
                    ]
                )
            )
            if state == "UNENROLLED"
            else None
        )
        enrollment = {
            "enrollment_id": f"e{e}",
            "sequence_id": sequence,
            # now and then a contact that does not exist: an orphan, kept out and reported
            "contact_id": draw(st.sampled_from(contacts + ["c_missing"] * (len(contacts) > 2))),
            "enrolled_by_user_id": draw(st.sampled_from(users)),
            "company_id": draw(st.sampled_from([None, *companies])),
            "enrolled_at": enrolled,
            "enrollment_state": state,
            "current_step_order": draw(
                st.sampled_from([None, *range(1, len(sequence_steps[sequence]) + 1)])
            ),
            "ended_at": ended,
            "unenroll_source": source,
            "error_type": draw(st.sampled_from(["BOUNCED", "UNSUBSCRIBED", "OTHER"]))
            if source == "ERROR"
            else None,
            "updated_at": enrolled + draw(st.integers(0, 10 * 24)) * 3600,
        }
        enrollments.append(enrollment)
        t["sequence_enrollments"].append(enrollment)
        if draw(yes_or_no):
            # an older copy with other content: the latest updated_at must win
            older = dict(enrollment)
            older["enrollment_state"] = draw(st.sampled_from(STATES))
            older["contact_id"] = draw(st.sampled_from(contacts))
            older["error_type"] = None
            older["unenroll_source"] = None
            older["updated_at"] = enrollment["updated_at"] - draw(st.integers(1, 5 * 24)) * 3600
            t["sequence_enrollments"].append(older)
            duplicates["sequence_enrollments"] += 1

    email_number = 0
    for number, enrollment in enumerate(enrollments):
        # every third enrollment has an email; the others may have none
        for _ in range(draw(st.integers(0 if number % 3 else 1, 3))):
            step = draw(st.sampled_from(sequence_steps[enrollment["sequence_id"]]))
            email = {
                "email_id": f"m{email_number}",
                "enrollment_id": enrollment["enrollment_id"],
                "step_id": step["step_id"],
                "template_id": step["template_id"],
                "sender_user_id": enrollment["enrolled_by_user_id"],
                "contact_id": enrollment["contact_id"],
                "sent_at": enrollment["enrolled_at"] + draw(st.integers(0, 10 * 24)) * 3600,
            }
            email_number += 1
            t["sequence_emails"].append(email)
        steps = [
            s for s in sequence_steps[enrollment["sequence_id"]] if s["action_type"] in TASK_TYPES
        ]
        if steps and draw(st.booleans()):
            step = draw(st.sampled_from(steps))
            created = enrollment["enrolled_at"] + draw(st.integers(0, 5 * 24)) * 3600
            status = draw(st.sampled_from(["NOT_STARTED", "COMPLETED", "SKIPPED"]))
            t["tasks"].append(
                {
                    "task_id": f"task{len(t['tasks'])}",
                    "enrollment_id": enrollment["enrollment_id"],
                    "step_id": step["step_id"],
                    "task_type": TASK_TYPES[step["action_type"]],
                    "owner_user_id": enrollment["enrolled_by_user_id"],
                    "created_at": created,
                    "due_at": None,
                    "completed_at": created + 3600 if status == "COMPLETED" else None,
                    "status": status,
                }
            )

    for email in list(t["sequence_emails"]):
        for _ in range(draw(st.integers(1, 3))):
            event_type = draw(st.sampled_from(EVENT_TYPES))
            event = {
                "event_id": f"ev{len(t['email_events'])}",
                "email_id": email["email_id"],
                "event_type": event_type,
                # clock skew: an event may come before its email
                "occurred_at": email["sent_at"] + draw(st.integers(-4, 5 * 24 * 4)) * 900,
                "url": "https://example.test/a?b=1" if event_type == "CLICK" else None,
                "bounce_type": draw(st.sampled_from(["HARD", "SOFT"]))
                if event_type == "BOUNCE"
                else None,
                "is_bot": draw(st.sampled_from([None, False, True])),
            }
            t["email_events"].append(event)
            if draw(st.integers(0, 4)) == 0:  # at-least-once delivery: the same event again
                t["email_events"].append(dict(event))
                duplicates["email_events"] += 1
    if t["email_events"] and draw(st.booleans()):
        orphan = dict(t["email_events"][0], event_id="ev_orphan", email_id="m_missing")
        t["email_events"].append(orphan)

    emails_of_contact: dict[str, list[str]] = {}
    for email in t["sequence_emails"]:
        emails_of_contact.setdefault(email["contact_id"], []).append(email["email_id"])
    # replies and meetings at any time, and some close to an enrollment (its window's edges)
    near = {
        contact: [
            e["enrolled_at"] + draw(st.integers(-2 * 24, 25 * 24)) * 3600
            for e in enrollments
            if e["contact_id"] == contact and draw(yes_or_no)
        ]
        for contact in contacts
    }
    for contact in contacts:
        received = [draw(instants) for _ in range(draw(st.integers(0, 2)))] + near[contact]
        for instant in received:
            t["inbound_emails"].append(
                {
                    "inbound_email_id": f"in{len(t['inbound_emails'])}",
                    "contact_id": contact,
                    "received_at": instant,
                    "in_reply_to_email_id": draw(
                        st.sampled_from([None, *emails_of_contact.get(contact, [])])
                    ),
                    "is_auto_reply": draw(st.booleans()),
                }
            )
        booked_at = [draw(instants) for _ in range(draw(st.integers(0, 2)))] + [
            instant + draw(st.integers(0, 4 * 24)) * 3600 for instant in near[contact]
        ]
        for booked in booked_at:
            t["meetings"].append(
                {
                    "meeting_id": f"mt{len(t['meetings'])}",
                    "contact_id": contact,
                    "owner_user_id": draw(st.sampled_from(users)),
                    "booked_at": booked,
                    "start_at": booked + DAY,
                    "booking_source": draw(
                        st.sampled_from(["SEQUENCE_EMAIL_LINK", "MEETINGS_LINK", "CALENDAR"])
                    ),
                }
            )

    for d in range(draw(st.integers(0, 2))):
        created = draw(instants)
        won = draw(st.booleans())
        t["deals"].append(
            {
                "deal_id": f"d{d}",
                "deal_name": f"Deal {d}",
                "owner_user_id": draw(st.sampled_from([None, *users])),
                "pipeline": "default",
                "deal_stage": "closedwon" if won else "appointmentscheduled",
                "is_closed": won,
                "is_closed_won": won,
                "amount": draw(st.sampled_from([None, "1250.50", "99"])),
                "created_at": created,
                "closed_at": created + 2 * DAY if won else None,
            }
        )
        for contact in draw(st.sets(st.sampled_from(contacts), min_size=1, max_size=2)):
            t["deal_contacts"].append({"deal_id": f"d{d}", "contact_id": contact})

    campaigns = [f"cmp{i}" for i in range(draw(st.integers(1, 2)))]
    forms = [f"form{i}" for i in range(len(campaigns))]
    for campaign, form in zip(campaigns, forms, strict=True):
        t["campaigns"].append(
            {
                "campaign_id": campaign,
                "name": f"Campaign {campaign}",
                "utm_campaign": f"utm_{campaign}",
                "owner_user_id": draw(st.sampled_from(users)),
                "start_date": None,
                "end_date": None,
                "budget_amount": None,
                "goal_sessions": draw(st.sampled_from([None, 2])),
                "goal_new_contacts": None,
                "goal_influenced_contacts": None,
                "created_at": BASE - 50 * DAY,
            }
        )
        shared = draw(st.sampled_from(forms))  # a form may belong to two campaigns
        for asset in sorted({form, shared}):
            t["campaign_assets"].append(
                {
                    "campaign_id": campaign,
                    "asset_type": "FORM",
                    "asset_id": asset,
                    "asset_name": f"Form {asset}",
                    "asset_url": None,
                    "associated_at": BASE - 30 * DAY,
                }
            )
    for contact in contacts:
        for _ in range(draw(st.integers(0, 2))):
            t["form_submissions"].append(
                {
                    "submission_id": f"sub{len(t['form_submissions'])}",
                    "form_id": draw(st.sampled_from([*forms, "form_other"])),
                    "contact_id": contact,
                    "visitor_id": None,
                    "page_url": None,
                    "submitted_at": draw(instants),
                }
            )
        if draw(st.booleans()):
            visitor = f"v_{contact}"
            t["visitor_identities"].append(
                {"visitor_id": visitor, "contact_id": contact, "identified_at": draw(instants)}
            )
            for _ in range(draw(st.integers(0, 2))):
                session = f"ses{len(t['web_sessions'])}"
                started = draw(instants)
                utm = draw(st.sampled_from([None, *(f"UTM_{c} " for c in campaigns)]))
                t["web_sessions"].append(
                    {
                        "session_id": session,
                        "visitor_id": visitor,
                        "started_at": started,
                        "landing_url": "https://www.example.test/pricing?x=1",
                        "referrer_url": draw(st.sampled_from([None, "https://www.google.com/"])),
                        "utm_source": "newsletter" if utm else None,
                        "utm_medium": "email" if utm else None,
                        "utm_campaign": utm,
                        "utm_term": None,
                        "utm_content": None,
                    }
                )
                if draw(st.booleans()):
                    t["pageviews"].append(
                        {
                            "pageview_id": f"pv{len(t['pageviews'])}",
                            "session_id": session,
                            "visitor_id": visitor,
                            "url": "https://www.example.test/pricing",
                            "viewed_at": started + 60,
                        }
                    )
    spend_file = draw(st.booleans())
    if spend_file:
        for campaign in campaigns[: draw(st.integers(0, len(campaigns)))]:
            t["campaign_spend"].append(
                {
                    "campaign_id": campaign,
                    "spend_date": "2025-01-10",
                    "channel": "ads",
                    "amount": "10.00",
                }
            )

    extra_columns = {
        table: ["zz_note"]
        for table in draw(st.sets(st.sampled_from(sorted(RAW_TABLES)), max_size=4))
    }
    shuffled = draw(st.sets(st.sampled_from(sorted(RAW_TABLES)), max_size=4))
    return RawData(
        tables=t,
        duplicates=duplicates,
        extra_columns=extra_columns,
        shuffled=shuffled,
        spend_file=spend_file,
        style_seed=draw(st.integers(0, 2**32 - 1)),
    )


def merge_worlds(worlds: list[RawData]) -> RawData:
    """Several independent CRMs in one raw directory (ids prefixed per world): one build,
    more cases. The first world decides the file-level choices."""
    merged = RawData(
        tables={table: [] for table in RAW_TABLES},
        extra_columns=worlds[0].extra_columns,
        shuffled=worlds[0].shuffled,
        spend_file=worlds[0].spend_file,
        style_seed=worlds[0].style_seed,
    )
    for number, world in enumerate(worlds):
        for table, rows in world.tables.items():
            for row in rows:
                merged.tables[table].append(
                    {
                        column: f"w{number}{value}"
                        if isinstance(value, str)
                        and (column.endswith("_id") or column == "utm_campaign")
                        else value
                        for column, value in row.items()
                    }
                )
        merged.duplicates.update(world.duplicates)
    if not merged.spend_file:
        merged.tables["campaign_spend"] = []
    return merged


raw_directories = st.lists(raw_data(), min_size=3, max_size=3).map(merge_worlds)


# --------------------------------------------------------------------------- #
# Writing the raw directory: every accepted spelling of each type
# --------------------------------------------------------------------------- #


def _render(value: Any, column_type: str, rng: random.Random) -> str | None:
    if value is None:
        return None
    if column_type == "timestamp":
        instant = datetime.fromtimestamp(value, UTC)
        style = rng.randrange(4)
        if style == 0:
            return instant.strftime("%Y-%m-%dT%H:%M:%SZ")
        if style == 1:
            return instant.strftime("%Y-%m-%d %H:%M:%S")  # no offset means UTC
        minutes = rng.choice([60, -300, 330])
        wall = instant + timedelta(minutes=minutes)
        sign = "+" if minutes >= 0 else "-"
        return (
            wall.strftime("%Y-%m-%d %H:%M:%S")
            + f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
        )
    if column_type == "boolean":
        return rng.choice(["true", "TRUE", "1", "t"] if value else ["false", "False", "0", "F"])
    if column_type == "enum":
        return rng.choice([value, value.lower(), f" {value.title()} "])
    return str(value)


def write_raw_directory(data: RawData, raw: Path) -> None:
    rng = random.Random(data.style_seed)
    for table, rows in data.tables.items():
        if table in OPTIONAL_TABLES and not data.spend_file:
            continue  # an absent optional table means no rows
        types = COLUMN_TYPES[table]
        rendered = [
            {column: _render(row.get(column), types[column], rng) for column in RAW_TABLES[table]}
            | {extra: "ignored, extra column" for extra in data.extra_columns.get(table, [])}
            for row in rows
        ]
        rng.shuffle(rendered)  # raw row order means nothing
        order = list(RAW_TABLES[table])
        if table in data.shuffled:
            rng.shuffle(order)
        write_csv_table(
            raw,
            table,
            rendered,
            extra_columns=data.extra_columns.get(table, []),
            column_order=order,
        )


# --------------------------------------------------------------------------- #
# The independent computation (sequences.md)
# --------------------------------------------------------------------------- #


def _ids(rows: Iterable[dict[str, Any]], key: str) -> set[str]:
    return {row[key] for row in rows}


def as_of_of(data: RawData) -> int:
    if data.as_of is not None:
        return data.as_of
    values = [
        row[column]
        for table, column in AS_OF_COLUMNS
        for row in data.tables[table]
        if row.get(column) is not None
    ]
    return max(values)


def latest_enrollments(data: RawData) -> dict[str, dict[str, Any]]:
    """Staged enrollments: one per id, the copy with the latest updated_at."""
    latest: dict[str, dict[str, Any]] = {}
    for row in data.tables["sequence_enrollments"]:
        kept = latest.get(row["enrollment_id"])
        if kept is None or row["updated_at"] > kept["updated_at"]:
            latest[row["enrollment_id"]] = row
    return latest


def expected_enrollment_facts(data: RawData) -> dict[str, dict[str, Any]]:
    """Per usable enrollment: the state as of as_of and the flags of sequences.md."""
    t = data.tables
    as_of = as_of_of(data)
    users, contacts = _ids(t["users"], "user_id"), _ids(t["contacts"], "contact_id")
    companies, sequences = _ids(t["companies"], "company_id"), _ids(t["sequences"], "sequence_id")
    steps, templates = (
        _ids(t["sequence_steps"], "step_id"),
        _ids(t["email_templates"], "template_id"),
    )
    staged = latest_enrollments(data)
    staged_emails = _ids(t["sequence_emails"], "email_id")
    emails = [
        email
        for email in t["sequence_emails"]
        if email["enrollment_id"] in staged
        and email["step_id"] in steps
        and (email["template_id"] is None or email["template_id"] in templates)
        and email["sender_user_id"] in users
        and email["contact_id"] in contacts
        and email["sent_at"] <= as_of
    ]
    events = {
        event["event_id"]: event
        for event in t["email_events"]
        if event["email_id"] in staged_emails
        and event["occurred_at"] <= as_of
        and event["is_bot"] is not True  # bot events count nowhere; null counts as human
    }.values()
    replies = [
        inbound
        for inbound in t["inbound_emails"]
        if inbound["contact_id"] in contacts
        and (inbound["in_reply_to_email_id"] in staged_emails | {None})
        and not inbound["is_auto_reply"]
    ]
    meetings = [
        meeting
        for meeting in t["meetings"]
        if meeting["contact_id"] in contacts and meeting["owner_user_id"] in users
    ]
    facts = {}
    for enrollment_id, e in staged.items():
        if not (
            e["sequence_id"] in sequences
            and e["contact_id"] in contacts
            and e["enrolled_by_user_id"] in users
            and (e["company_id"] is None or e["company_id"] in companies)
        ):
            continue  # an orphan: kept out of the marts, listed in audit_rejected_rows
        end_known = e["ended_at"] is None or e["ended_at"] <= as_of
        if e["enrolled_at"] > as_of:
            state = "SCHEDULED"
        elif e["enrollment_state"] in ("FINISHED", "UNENROLLED") and not end_known:
            state = "EXECUTING"
        else:
            state = e["enrollment_state"]
        started = state != "SCHEDULED"
        ended = e["ended_at"] if end_known else None
        source = e["unenroll_source"] if end_known else None
        error = e["error_type"] if end_known else None
        window_end = ended if ended is not None else as_of
        own = {email["email_id"] for email in emails if email["enrollment_id"] == enrollment_id}
        kinds = {event["event_type"] for event in events if event["email_id"] in own}
        replied = any(
            r["contact_id"] == e["contact_id"]
            and e["enrolled_at"] <= r["received_at"] <= window_end
            for r in replies
        ) or source in ("REPLY", "THREAD_REPLY")
        meeting_end = min(window_end + MEETING_WINDOW_DAYS * DAY, as_of)
        booked = (
            any(
                m["contact_id"] == e["contact_id"]
                and e["enrolled_at"] <= m["booked_at"] <= meeting_end
                for m in meetings
            )
            or source == "MEETING"
        )
        facts[enrollment_id] = {
            "sequence_id": e["sequence_id"],
            "contact_id": e["contact_id"],
            "enrollment_state": state,
            "is_started": started,
            "is_opened": started and "OPEN" in kinds,
            "is_clicked": started and "CLICK" in kinds,
            "is_replied": started and replied,
            "is_meeting_booked": started and booked,
            "is_bounced": started and ("BOUNCE" in kinds or error == "BOUNCED"),
            "is_unsubscribed": started and ("UNSUBSCRIBE" in kinds or error == "UNSUBSCRIBED"),
        }
    return facts


def expected_sequence_performance(data: RawData) -> dict[str, dict[str, int]]:
    facts = expected_enrollment_facts(data)
    performance = {}
    for sequence in _ids(data.tables["sequences"], "sequence_id"):
        started = [f for f in facts.values() if f["sequence_id"] == sequence and f["is_started"]]
        performance[sequence] = {
            "total_enrollments": len(started),
            "unique_contacts": len({f["contact_id"] for f in started}),
            "currently_enrolled": sum(
                f["enrollment_state"] in ("EXECUTING", "PAUSED") for f in started
            ),
            "opened_count": sum(f["is_opened"] for f in started),
            "clicked_count": sum(f["is_clicked"] for f in started),
            "replied_count": sum(f["is_replied"] for f in started),
            "meeting_count": sum(f["is_meeting_booked"] for f in started),
            "no_reply_count": sum(
                f["enrollment_state"] == "FINISHED" and not f["is_replied"] for f in started
            ),
            "bounced_count": sum(f["is_bounced"] for f in started),
            "unsubscribed_count": sum(f["is_unsubscribed"] for f in started),
        }
    return performance


# --------------------------------------------------------------------------- #
# Invariants of any published warehouse
# --------------------------------------------------------------------------- #

# (mart, numerator columns, denominator column): counts never above their denominators.
BOUNDED_COUNTS = [
    (
        "sequence_performance",
        [
            "unique_contacts",
            "currently_enrolled",
            "opened_count",
            "clicked_count",
            "replied_count",
            "meeting_count",
            "no_reply_count",
            "bounced_count",
            "unsubscribed_count",
            "deal_count",
        ],
        "total_enrollments",
    ),
    (
        "sequence_step_performance",
        ["opened", "clicked", "replied", "meetings", "tasks_completed"],
        "executed",
    ),
    ("sequence_email_performance", ["opened", "clicked", "replied", "meetings"], "sends"),
    (
        "sequence_monthly",
        [
            "opened_count",
            "clicked_count",
            "replied_count",
            "meeting_count",
            "unsubscribed_count",
            "unique_contacts",
        ],
        "enrollments",
    ),
    ("sequence_reply_rate_by_send_time", ["replied_count"], "enrollments"),
    (
        "sequence_enrollment_cohorts",
        ["observed_enrollments", "replied_count", "meeting_count"],
        "cohort_enrollments",
    ),
    ("sender_score_by_user", ["completed_enrollments"], "started_enrollments"),
    ("sender_score_by_user", ["bounced", "not_bounced"], "completed_enrollments"),
    ("sender_score_by_user", ["replied"], "not_bounced"),
    ("sender_score_by_user_sequence", ["completed_enrollments"], "started_enrollments"),
    ("sender_score_by_user_sequence", ["bounced", "not_bounced"], "completed_enrollments"),
    ("sender_score_by_user_sequence", ["replied"], "not_bounced"),
    ("sequence_bot_activity", ["opened_enrollments"], "opened_enrollments_with_bots"),
    ("sequence_bot_activity", ["clicked_enrollments"], "clicked_enrollments_with_bots"),
    ("sequence_bot_activity", ["opens"], "opens_with_bots"),
    ("sequence_bot_activity", ["clicks"], "clicks_with_bots"),
    ("attribution_summary", ["conversions_unattributed"], "conversions"),
]


def mart_invariant_violations(warehouse: Path) -> list[str]:
    """Rates and shares in [0, 1], bounded counts, attribution shares summing to 1,
    enrollment-by-step adding up to the enrollment fact."""
    problems: list[str] = []
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        fractions = con.execute(
            "select table_name, column_name from information_schema.columns "
            "where table_schema = 'marts' and data_type = 'DOUBLE' "
            "and (column_name like '%\\_rate' escape '\\' or column_name like '%\\_share' "
            "escape '\\' or column_name = 'share') "
            # goal shares may pass 1; asset open/click rates only on inconsistent data
            "and column_name not like '%goal_share' "
            "and table_name <> 'campaign_asset_performance' order by all"
        ).fetchall()
        assert fractions, "no rate column found"
        for mart, column in fractions:
            (bad,) = con.execute(
                f"select count(*) from marts.{mart} "
                f"where {column} < -1e-12 or {column} > 1 + 1e-12 or isnan({column})"
            ).fetchall()[0]
            if bad:
                problems.append(f"{mart}.{column}: {bad} values outside [0, 1]")
        for mart, counts, denominator in BOUNDED_COUNTS:
            for count in counts:
                (bad,) = con.execute(
                    f"select count(*) from marts.{mart} where {count} > {denominator} "
                    f"or {count} < 0"
                ).fetchall()[0]
                if bad:
                    problems.append(f"{mart}: {bad} rows with {count} > {denominator}")
        broken = con.execute(
            "select conversion_kind, conversion_id, attribution_model, sum(share) "
            "from marts.attribution_credits group by all having abs(sum(share) - 1) > 1e-9"
        ).fetchall()
        if broken:
            problems.append(f"attribution shares do not sum to 1: {broken[:3]}")
        by_step = con.execute(
            "select sequence_id, enrollment_state, sum(enrollments) "
            "from marts.sequence_enrollment_by_step group by all order by all"
        ).fetchall()
        fact = con.execute(
            "select sequence_id, enrollment_state, count(*) "
            "from marts.fct_sequence_enrollments group by all order by all"
        ).fetchall()
        if by_step != fact:
            problems.append(f"enrollment by step {by_step} != enrollments {fact}")
    finally:
        con.close()
    return problems


def test_demo_warehouse_keeps_the_mart_invariants(demo_warehouse: Path) -> None:
    assert mart_invariant_violations(demo_warehouse) == []


# --------------------------------------------------------------------------- #
# The property
# --------------------------------------------------------------------------- #


def _latest_history(warehouse: Path) -> tuple[int, dict[str, int]]:
    rows = query(
        warehouse,
        "select build_number, table_name, raw_rows from audit.audit_raw_table_count_history "
        "where build_number = (select max(build_number) "
        "from audit.audit_raw_table_count_history)",
    )
    return rows[0][0], {table: raw_rows for _, table, raw_rows in rows}


def _stale_tables(data: RawData) -> set[str]:
    as_of = as_of_of(data)
    stale = set()
    for table, (column, days) in FRESHNESS.items():
        values = [row[column] for row in data.tables[table] if row.get(column) is not None]
        if not values or max(values) < as_of - days * DAY:
            stale.add(table)
    return stale


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory, demo_warehouse: Path) -> Workspace:
    workspace = Workspace(tmp_path_factory.mktemp("properties"))
    # The first example is built over a copy of the demo warehouse: its volume check
    # compares the tiny raw directory with the demo's counts and must warn.
    workspace.publish_copy_of(demo_warehouse)
    return workspace


# Each example is a dbt build: few examples, the same on every run (CI stays stable), no
# shrinking. Two sets: as_of from the data (the latest raw event) and a fixed as_of in
# the middle of the data, after which events, ends and enrollments did not happen yet.
EXAMPLES = settings(
    max_examples=2,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
FIXED_AS_OF = BASE + 30 * DAY


@EXAMPLES
@given(data=raw_directories)
def test_random_raw_directories_with_the_default_as_of(data: RawData, workspace: Workspace) -> None:
    check_random_raw_directory(data, workspace)


@EXAMPLES
@given(data=raw_directories)
def test_random_raw_directories_with_a_fixed_as_of(data: RawData, workspace: Workspace) -> None:
    data.as_of = FIXED_AS_OF
    as_of = datetime.fromtimestamp(FIXED_AS_OF, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    check_random_raw_directory(data, workspace, "--var", f"as_of={as_of}")


def check_random_raw_directory(data: RawData, workspace: Workspace, *extra: str) -> None:
    """Build `data` as a raw directory and check every property of the module docstring."""
    raw = workspace.fresh_raw()
    write_raw_directory(data, raw)
    previous_build, previous_counts = _latest_history(workspace.warehouse)

    result = workspace.build(*extra)
    assert result.returncode == 0, result.output
    assert "Traceback" not in result.output
    warehouse = workspace.warehouse

    # Every usable raw enrollment exactly once; every raw enrollment somewhere.
    facts = expected_enrollment_facts(data)
    fact_rows = query(
        warehouse,
        "select enrollment_id, sequence_id, contact_id, enrollment_state, is_started, "
        "is_opened, is_clicked, is_replied, is_meeting_booked, is_bounced, is_unsubscribed "
        "from marts.fct_sequence_enrollments",
    )
    fact_ids = [row[0] for row in fact_rows]
    assert len(fact_ids) == len(set(fact_ids)), "an enrollment is in the fact twice"
    assert set(fact_ids) == set(facts)
    rejected = {
        row[0]
        for row in query(
            warehouse,
            "select row_key from audit.audit_rejected_rows "
            "where table_name = 'sequence_enrollments'",
        )
    }
    assert set(fact_ids) | rejected == set(latest_enrollments(data))
    assert not set(fact_ids) & rejected

    # Per-enrollment flags and per-sequence headline metrics, computed independently.
    names = [
        "sequence_id",
        "contact_id",
        "enrollment_state",
        "is_started",
        "is_opened",
        "is_clicked",
        "is_replied",
        "is_meeting_booked",
        "is_bounced",
        "is_unsubscribed",
    ]
    actual_facts = {row[0]: dict(zip(names, row[1:], strict=True)) for row in fact_rows}
    assert actual_facts == facts
    expected = expected_sequence_performance(data)
    columns = list(next(iter(expected.values())))
    performance = {
        row[0]: dict(zip(columns, row[1:], strict=True))
        for row in query(
            warehouse, f"select sequence_id, {', '.join(columns)} from marts.sequence_performance"
        )
    }
    assert performance == expected

    assert mart_invariant_violations(warehouse) == []

    # Duplicates: removed deterministically, counted and reported.
    counts = {
        table: (raw_rows, removed)
        for table, raw_rows, removed in query(
            warehouse,
            "select table_name, raw_rows, duplicates_removed from audit.audit_raw_table_counts",
        )
    }
    printed = notes(result)
    for table in RAW_TABLES:
        written = 0 if table in OPTIONAL_TABLES and not data.spend_file else len(data.tables[table])
        assert counts[table] == (written, data.duplicates[table]), table
        # the note names the table, the key column(s), the count and the rule
        key = PRIMARY_KEYS[table]
        removed = data.duplicates[table]
        line = (
            f"raw table {table}, {'column' if len(key) == 1 else 'columns'} {', '.join(key)}: "
            f"{removed} repeated {'row' if removed == 1 else 'rows'} de-duplicated by the rule "
            "'a repeated primary key is one record"
        )
        reported = [n for n in printed if n.startswith(line)]
        assert len(reported) == (removed > 0), (line, printed)
        assert all("(e.g. " in n and "(e.g. None)" not in n for n in reported), reported

    # Volume history: this build appended; warnings exactly for the halved tables.
    build_number, latest_counts = _latest_history(warehouse)
    assert build_number == previous_build + 1
    assert latest_counts == {table: raw_rows for table, (raw_rows, _) in counts.items()}
    halved = {t for t in RAW_TABLES if latest_counts[t] * 2 < previous_counts.get(t, 0)}
    warned = {n.split(":")[0].removeprefix("raw table ") for n in printed if "down from" in n}
    assert warned == halved

    # Freshness: warnings exactly for the event tables too old for as_of.
    stale = {
        n.split(":")[0].removeprefix("raw table ")
        for n in printed
        if "days of as_of" in n and n.startswith("raw table ")
    }
    assert stale == _stale_tables(data)
