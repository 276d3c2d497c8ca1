"""The raw data contract, written once: every other copy is derived from this module.

``RAW_CONTRACT`` lists every raw table, in the contract's order, with its columns
(logical type, nullability, enumerated values); ``PRIMARY_KEYS`` gives the key of
each table, ``FOREIGN_KEYS`` every column that names a row of another table, and
``OPTIONAL_TABLES`` the tables whose file may be absent (meaning "no rows"), and
``EVENT_TIMES`` the append-only event tables with the column that dates each row
(their staging models are incremental: a build adds the rows it has not loaded).
``RAW_TABLES`` is the column names alone.

The dbt project reads the same contract from files that
:mod:`gtm_analytics.contract_files` renders from this module (``gtm contract``
rewrites them; a test fails when they drift): the landing models' YAML, the demo
seeds' YAML and the ``raw_contract()`` macro. docs/raw_contract.md describes it
for people.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ColumnType = Literal[
    "text", "enum", "timestamp", "boolean", "integer", "numeric", "decimal", "date"
]


@dataclass(frozen=True)
class Column:
    """One column of a raw table.

    ``type`` is the logical type: ``timestamp`` is ISO-8601 text in CSV and
    ``TIMESTAMP WITH TIME ZONE`` in Parquet; ``numeric`` is any number;
    ``decimal`` a fixed-point amount; ``enum`` text from ``values`` (upper
    case, matched after trimming and upper-casing).
    """

    name: str
    type: ColumnType = "text"
    nullable: bool = False
    values: tuple[str, ...] = ()


@dataclass(frozen=True)
class ForeignKey:
    """``table.column`` names a row of ``parent_table`` by ``parent_key``; a row whose
    value (when not null) names no parent row is kept out of the marts."""

    table: str
    column: str
    parent_table: str
    parent_key: str


def _c(name: str, type_: ColumnType = "text", *, null: bool = False) -> Column:
    return Column(name, type_, null)


def _enum(name: str, values: str, *, null: bool = False) -> Column:
    return Column(name, "enum", null, tuple(values.split()))


RAW_CONTRACT: dict[str, tuple[Column, ...]] = {
    "users": (
        _c("user_id"),
        _c("email"),
        _c("full_name"),
        _c("team_name", null=True),
        _c("is_active", "boolean"),
    ),
    "companies": (
        _c("company_id"),
        _c("name"),
        _c("domain", null=True),
        _c("industry", null=True),
        _c("created_at", "timestamp"),
    ),
    "contacts": (
        _c("contact_id"),
        _c("email", null=True),
        _c("first_name", null=True),
        _c("last_name", null=True),
        _c("company_id", null=True),
        _c("lifecycle_stage", null=True),
        _c("created_at", "timestamp"),
        _c("updated_at", "timestamp"),
    ),
    "email_templates": (
        _c("template_id"),
        _c("name"),
        _c("subject"),
        _c("created_at", "timestamp"),
    ),
    "sequences": (
        _c("sequence_id"),
        _c("name"),
        _c("folder_name", null=True),
        _c("owner_user_id"),
        _c("created_at", "timestamp"),
        _c("is_deleted", "boolean"),
    ),
    "sequence_steps": (
        _c("step_id"),
        _c("sequence_id"),
        _c("step_order", "integer"),
        _enum(
            "action_type",
            "AUTOMATED_EMAIL MANUAL_EMAIL_TASK CALL_TASK LINKEDIN_TASK TODO_TASK",
        ),
        _c("template_id", null=True),
        _c("delay_days", "numeric"),
        _c("is_deleted", "boolean"),
        _c("created_at", "timestamp"),
    ),
    "sequence_enrollments": (
        _c("enrollment_id"),
        _c("sequence_id"),
        _c("contact_id"),
        _c("enrolled_by_user_id"),
        _c("company_id", null=True),
        _c("enrolled_at", "timestamp"),
        _enum("enrollment_state", "SCHEDULED EXECUTING PAUSED FINISHED UNENROLLED"),
        _c("current_step_order", "integer", null=True),
        _c("ended_at", "timestamp", null=True),
        _enum(
            "unenroll_source",
            "MANUAL WORKFLOW MEETING REPLY THREAD_REPLY ACCOUNT_REPLY ACCOUNT_MEETING "
            "SEQUENCE_DELETED ERROR",
            null=True,
        ),
        _enum("error_type", "BOUNCED UNSUBSCRIBED OTHER", null=True),
        _c("updated_at", "timestamp"),
    ),
    "sequence_emails": (
        _c("email_id"),
        _c("enrollment_id"),
        _c("step_id"),
        _c("template_id", null=True),
        _c("sender_user_id"),
        _c("contact_id"),
        _c("sent_at", "timestamp"),
    ),
    "email_events": (
        _c("event_id"),
        _c("email_id"),
        _enum("event_type", "DELIVERED OPEN CLICK BOUNCE UNSUBSCRIBE SPAM_REPORT"),
        _c("occurred_at", "timestamp"),
        _c("url", null=True),
        _enum("bounce_type", "HARD SOFT", null=True),
        _c("is_bot", "boolean", null=True),
    ),
    "inbound_emails": (
        _c("inbound_email_id"),
        _c("contact_id"),
        _c("received_at", "timestamp"),
        _c("in_reply_to_email_id", null=True),
        _c("is_auto_reply", "boolean"),
    ),
    "tasks": (
        _c("task_id"),
        _c("enrollment_id"),
        _c("step_id"),
        _enum("task_type", "EMAIL CALL LINKEDIN TODO"),
        _c("owner_user_id"),
        _c("created_at", "timestamp"),
        _c("due_at", "timestamp", null=True),
        _c("completed_at", "timestamp", null=True),
        _enum("status", "NOT_STARTED COMPLETED SKIPPED"),
    ),
    "meetings": (
        _c("meeting_id"),
        _c("contact_id"),
        _c("owner_user_id"),
        _c("booked_at", "timestamp"),
        _c("start_at", "timestamp"),
        _enum("booking_source", "SEQUENCE_EMAIL_LINK MEETINGS_LINK CALENDAR MANUAL"),
    ),
    "deals": (
        _c("deal_id"),
        _c("deal_name"),
        _c("owner_user_id", null=True),
        _c("pipeline"),
        _c("deal_stage"),
        _c("is_closed", "boolean"),
        _c("is_closed_won", "boolean"),
        _c("amount", "decimal", null=True),
        _c("created_at", "timestamp"),
        _c("closed_at", "timestamp", null=True),
    ),
    "deal_contacts": (
        _c("deal_id"),
        _c("contact_id"),
    ),
    "campaigns": (
        _c("campaign_id"),
        _c("name"),
        _c("utm_campaign", null=True),
        _c("owner_user_id", null=True),
        _c("start_date", "date", null=True),
        _c("end_date", "date", null=True),
        _c("budget_amount", "decimal", null=True),
        _c("goal_sessions", "integer", null=True),
        _c("goal_new_contacts", "integer", null=True),
        _c("goal_influenced_contacts", "integer", null=True),
        _c("created_at", "timestamp"),
    ),
    "campaign_assets": (
        _c("campaign_id"),
        _enum(
            "asset_type",
            "LANDING_PAGE WEBSITE_PAGE BLOG_POST MARKETING_EMAIL FORM SOCIAL_POST AD CTA",
        ),
        _c("asset_id"),
        _c("asset_name"),
        _c("asset_url", null=True),
        _c("associated_at", "timestamp"),
    ),
    "visitor_identities": (
        _c("visitor_id"),
        _c("contact_id"),
        _c("identified_at", "timestamp"),
    ),
    "web_sessions": (
        _c("session_id"),
        _c("visitor_id"),
        _c("started_at", "timestamp"),
        _c("landing_url"),
        _c("referrer_url", null=True),
        _c("utm_source", null=True),
        _c("utm_medium", null=True),
        _c("utm_campaign", null=True),
        _c("utm_term", null=True),
        _c("utm_content", null=True),
    ),
    "pageviews": (
        _c("pageview_id"),
        _c("session_id"),
        _c("visitor_id"),
        _c("url"),
        _c("viewed_at", "timestamp"),
    ),
    "form_submissions": (
        _c("submission_id"),
        _c("form_id"),
        _c("contact_id"),
        _c("visitor_id", null=True),
        _c("page_url", null=True),
        _c("submitted_at", "timestamp"),
    ),
    "marketing_email_events": (
        _c("event_id"),
        _c("marketing_email_id"),
        _c("contact_id"),
        _enum("event_type", "SENT DELIVERED OPEN CLICK BOUNCE UNSUBSCRIBE"),
        _c("occurred_at", "timestamp"),
        _c("is_bot", "boolean", null=True),
    ),
    "asset_clicks": (
        _c("click_id"),
        _enum("asset_type", "AD SOCIAL_POST CTA"),
        _c("asset_id"),
        _c("visitor_id", null=True),
        _c("contact_id", null=True),
        _c("clicked_at", "timestamp"),
    ),
    "campaign_spend": (
        _c("campaign_id"),
        _c("spend_date", "date"),
        _c("channel"),
        _c("amount", "decimal"),
    ),
}

RAW_TABLES: dict[str, list[str]] = {
    table: [column.name for column in columns] for table, columns in RAW_CONTRACT.items()
}
"""Every raw table, in contract order, with its column names in contract order."""

OPTIONAL_TABLES: set[str] = {"campaign_spend"}
"""Tables whose file may be absent in a raw directory (absent means no rows)."""

EVENT_TIMES: dict[str, str] = {
    "email_events": "occurred_at",
    "marketing_email_events": "occurred_at",
    "web_sessions": "started_at",
    "pageviews": "viewed_at",
}
"""The append-only event tables, each with the column that dates its rows. Their
staging models are incremental: a build adds the rows it has not loaded yet, from
the lookback window before the latest instant it holds."""

PRIMARY_KEYS: dict[str, tuple[str, ...]] = {
    "users": ("user_id",),
    "companies": ("company_id",),
    "contacts": ("contact_id",),
    "email_templates": ("template_id",),
    "sequences": ("sequence_id",),
    "sequence_steps": ("step_id",),
    "sequence_enrollments": ("enrollment_id",),
    "sequence_emails": ("email_id",),
    "email_events": ("event_id",),
    "inbound_emails": ("inbound_email_id",),
    "tasks": ("task_id",),
    "meetings": ("meeting_id",),
    "deals": ("deal_id",),
    "deal_contacts": ("deal_id", "contact_id"),
    "campaigns": ("campaign_id",),
    "campaign_assets": ("campaign_id", "asset_type", "asset_id"),
    "visitor_identities": ("visitor_id",),
    "web_sessions": ("session_id",),
    "pageviews": ("pageview_id",),
    "form_submissions": ("submission_id",),
    "marketing_email_events": ("event_id",),
    "asset_clicks": ("click_id",),
    "campaign_spend": ("campaign_id", "spend_date", "channel"),
}
"""Primary key of each raw table (repeats of a key are duplicates of one record)."""

FOREIGN_KEYS: tuple[ForeignKey, ...] = (
    ForeignKey("contacts", "company_id", "companies", "company_id"),
    ForeignKey("sequences", "owner_user_id", "users", "user_id"),
    ForeignKey("sequence_steps", "sequence_id", "sequences", "sequence_id"),
    ForeignKey("sequence_steps", "template_id", "email_templates", "template_id"),
    ForeignKey("sequence_enrollments", "sequence_id", "sequences", "sequence_id"),
    ForeignKey("sequence_enrollments", "contact_id", "contacts", "contact_id"),
    ForeignKey("sequence_enrollments", "enrolled_by_user_id", "users", "user_id"),
    ForeignKey("sequence_enrollments", "company_id", "companies", "company_id"),
    ForeignKey("sequence_emails", "enrollment_id", "sequence_enrollments", "enrollment_id"),
    ForeignKey("sequence_emails", "step_id", "sequence_steps", "step_id"),
    ForeignKey("sequence_emails", "template_id", "email_templates", "template_id"),
    ForeignKey("sequence_emails", "sender_user_id", "users", "user_id"),
    ForeignKey("sequence_emails", "contact_id", "contacts", "contact_id"),
    ForeignKey("email_events", "email_id", "sequence_emails", "email_id"),
    ForeignKey("inbound_emails", "contact_id", "contacts", "contact_id"),
    ForeignKey("inbound_emails", "in_reply_to_email_id", "sequence_emails", "email_id"),
    ForeignKey("tasks", "enrollment_id", "sequence_enrollments", "enrollment_id"),
    ForeignKey("tasks", "step_id", "sequence_steps", "step_id"),
    ForeignKey("tasks", "owner_user_id", "users", "user_id"),
    ForeignKey("meetings", "contact_id", "contacts", "contact_id"),
    ForeignKey("meetings", "owner_user_id", "users", "user_id"),
    ForeignKey("deals", "owner_user_id", "users", "user_id"),
    ForeignKey("deal_contacts", "deal_id", "deals", "deal_id"),
    ForeignKey("deal_contacts", "contact_id", "contacts", "contact_id"),
    ForeignKey("campaigns", "owner_user_id", "users", "user_id"),
    ForeignKey("campaign_assets", "campaign_id", "campaigns", "campaign_id"),
    ForeignKey("visitor_identities", "contact_id", "contacts", "contact_id"),
    ForeignKey("pageviews", "session_id", "web_sessions", "session_id"),
    ForeignKey("form_submissions", "contact_id", "contacts", "contact_id"),
    ForeignKey("marketing_email_events", "contact_id", "contacts", "contact_id"),
    ForeignKey("asset_clicks", "contact_id", "contacts", "contact_id"),
    ForeignKey("campaign_spend", "campaign_id", "campaigns", "campaign_id"),
)
"""Every foreign key, grouped by child table in contract order."""

TABLE_NOTES: dict[str, str] = {
    "users": "People in the CRM who own sequences, enroll contacts and send their emails.",
    "companies": "Accounts that contacts belong to.",
    "contacts": "People the team sells and markets to.",
    "email_templates": "Templates that sequence email steps send.",
    "sequences": "Sales sequences: an ordered series of emails and tasks.",
    "sequence_steps": "The steps of each sequence.",
    "sequence_enrollments": "One contact's run through one sequence.",
    "sequence_emails": "Every email a sequence step sent, automated or from an email task.",
    "email_events": "What happened to a sequence email after it was sent.",
    "inbound_emails": "Emails contacts sent to the team.",
    "tasks": "Tasks that task steps created for the enrolling user.",
    "meetings": "Meetings booked with contacts.",
    "deals": "Sales opportunities.",
    "deal_contacts": "Which contacts are associated with which deals.",
    "campaigns": "Marketing campaigns.",
    "campaign_assets": "Assets (pages, posts, emails, forms, ads, ...) associated with a campaign; "
    "one asset may belong to several campaigns.",
    "visitor_identities": "Anonymous web visitors (tracking cookies) tied to a contact.",
    "web_sessions": "Website sessions with their landing page, referrer and UTM tags.",
    "pageviews": "Pages viewed within a session.",
    "form_submissions": "Form submissions by contacts.",
    "marketing_email_events": "What happened to a marketing email sent to a contact.",
    "asset_clicks": "Clicks on ads, social posts and calls-to-action.",
    "campaign_spend": "Money spent on a campaign per day and channel.",
}
"""One line per raw table, for the documentation."""

COLUMN_NOTES: dict[tuple[str, str], str] = {
    ("contacts", "company_id"): "the contact's primary company",
    ("contacts", "updated_at"): "of copies of one contact_id, the latest is kept",
    ("sequence_enrollments", "updated_at"): "of copies of one enrollment_id, the latest is kept",
    ("contacts", "created_at"): "when the contact was created: the contact-create conversion",
    (
        "sequence_steps",
        "step_order",
    ): "1 for the first step; no two live steps of a sequence share it",
    ("sequence_steps", "template_id"): "set for the two email step types",
    ("sequence_steps", "delay_days"): "days to wait after the previous step",
    ("sequence_steps", "is_deleted"): "the step was removed from its sequence",
    (
        "sequence_enrollments",
        "enrolled_by_user_id",
    ): "who enrolled the contact and sends the emails",
    ("sequence_enrollments", "company_id"): "null means the contact's own company",
    (
        "sequence_enrollments",
        "enrolled_at",
    ): "a start after the as-of time is a scheduled enrollment",
    (
        "sequence_enrollments",
        "enrollment_state",
    ): "FINISHED ran every step; UNENROLLED stopped early",
    ("sequence_enrollments", "current_step_order"): "the last step executed; null before the first",
    ("sequence_enrollments", "ended_at"): "set when the state is FINISHED or UNENROLLED",
    ("sequence_enrollments", "error_type"): "set when unenroll_source is ERROR",
    ("email_events", "event_id"): "a repeated id is a repeated delivery of one event",
    ("email_events", "occurred_at"): "clocks differ: it may precede the email's sent_at",
    ("email_events", "url"): "the link clicked",
    ("email_events", "is_bot"): "a machine open or click (privacy proxy, link scanner); "
    "null is counted as human",
    ("inbound_emails", "in_reply_to_email_id"): "the sequence email it answers, when known",
    ("inbound_emails", "is_auto_reply"): "an out-of-office or other automatic answer",
    ("meetings", "booked_at"): "when it was booked: the moment that counts",
    ("deals", "amount"): "in one currency",
    ("campaigns", "utm_campaign"): "the utm_campaign value its tracking links carry",
    ("campaigns", "goal_sessions"): "the goals are shown beside the overview's metrics",
    ("campaign_assets", "asset_id"): "a form's form_id, a marketing email's marketing_email_id",
    ("campaign_assets", "asset_url"): "pages and posts: matched to page views after normalising "
    "the URL (lower-case scheme and host, no www., query, fragment or trailing /)",
    ("campaign_assets", "associated_at"): "the asset's activity counts for the campaign from here",
    (
        "visitor_identities",
        "identified_at",
    ): "the visitor's earlier sessions belong to the contact too",
    ("marketing_email_events", "event_id"): "a repeated id is a repeated delivery of one event",
    (
        "asset_clicks",
        "contact_id",
    ): "when known at click time; otherwise through visitor_identities",
}
"""Notes on the columns whose meaning is not plain from the name, for the documentation."""
