"""Deterministic synthetic raw data in the raw contract (``raw_contract.md``).

Everything is built inside DuckDB, vectorised: each table starts from
``range()`` over a row key (or from an earlier table), and every random
choice is ``rnd(salt, key)``, a hash of (salt, row key, seed) mapped to
``[0, 1)``. No wall clock, no ``random()``, no Python row loops; every chunk
of a file is sorted by its row key, so one seed always gives byte-identical
files, and the CSV and Parquet outputs of a seed hold the same data.

Memory stays bounded at any scale: what derives from an enrollment (steps,
tasks, emails, events, replies, meetings) is built for one range of
enrollment keys at a time, what derives from a contact (visitors, sessions,
page views, clicks, forms, marketing email) for one range of contacts at a
time; a row that points at a random contact computes the contact's attributes
from its key (macros such as ``ct_created``) instead of joining a table of
all contacts. Each chunk is appended to its table's one file as soon as it is
built (CSV: appended text; Parquet: row groups, encoded by Arrow on a writer
thread) and then dropped. Keys are laid out so that later chunks hold greater
keys, so the files are in key order whatever the chunk size. Deals, which need
every enrollment, are collected on the way and built at the end.

Times are kept as integer epoch seconds (UTC) while building, and rendered on
output: Parquet gets ``TIMESTAMP WITH TIME ZONE``; CSV gets ISO-8601 text in a
mix of forms (``Z``, an offset such as ``+01:00`` for the same instant, or no
offset, meaning UTC). The data's "now" is :data:`DATA_NOW`: no event is later,
and the latest page view is exactly at it; only scheduled enrollments start
after it.

The demo size (``scale=None``) is about 40 thousand rows. ``scale=N`` gives
about N million ``email_events`` rows, every other table in proportion
(users, sequences and campaigns in whole groups of the demo's 8, 12 and 6).

Each edge case that the warehouse must handle is produced on purpose; the
comments marked ``EDGE:`` name them.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import queue
import shutil
import tempfile
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from .raw_tables import RAW_CONTRACT, RAW_TABLES, Column

__all__ = ["DATA_NOW", "DEMO_SIZES", "Sizes", "generate", "sizes_for"]

DAY = 86_400  # seconds


def _epoch(year: int, month: int, day: int, hour: int = 0) -> int:
    """Epoch seconds of a UTC wall-clock instant."""
    return int(datetime(year, month, day, hour, tzinfo=UTC).timestamp())


DATA_NOW = datetime(2025, 6, 30, 18, tzinfo=UTC)
"""The data's fixed "now": the latest instant in the event tables."""

NOW = int(DATA_NOW.timestamp())
START = _epoch(2024, 1, 1)  # the data spans START .. NOW (18 months)

DEMO_EMAIL_EVENTS = 9_000
"""About how many ``email_events`` rows the demo holds (the unit of ``scale``)."""


@dataclass(frozen=True)
class Sizes:
    """Row-count drivers of one generated data set."""

    user_groups: int  # 8 users each (2 heavy senders, 6 light ones)
    sequence_groups: int  # 12 sequences each
    campaign_groups: int  # 6 campaigns each
    companies: int
    contacts: int
    enrolled_contacts: int  # contacts 0 .. n-1 are enrolled at least once
    enrollments: int
    templates: int
    anonymous_visitors: int


DEMO_SIZES = Sizes(
    user_groups=1,
    sequence_groups=1,
    campaign_groups=1,
    companies=300,
    contacts=2_400,
    enrolled_contacts=2_100,
    enrollments=2_500,
    templates=30,
    anonymous_visitors=800,
)


def sizes_for(scale: float | None) -> Sizes:
    """The sizes for ``scale`` (None: the demo; N: about N million email events)."""
    if scale is None:
        return DEMO_SIZES
    if not scale > 0:
        raise ValueError(f"scale must be positive, got {scale!r}")
    factor = scale * 1_000_000 / DEMO_EMAIL_EVENTS
    demo = DEMO_SIZES

    def times(count: int) -> int:
        return max(1, round(count * factor))

    groups = max(1, round(factor))
    contacts = max(2, times(demo.contacts))
    return Sizes(
        user_groups=groups,
        sequence_groups=groups,
        campaign_groups=groups,
        companies=times(demo.companies),
        contacts=contacts,
        enrolled_contacts=min(contacts - 1, times(demo.enrolled_contacts)),
        enrollments=times(demo.enrollments),
        templates=times(demo.templates),
        anonymous_visitors=times(demo.anonymous_visitors),
    )


# --------------------------------------------------------------------------- #
# Fixed vocabularies and the demo's hand-written patterns
# --------------------------------------------------------------------------- #

FIRST_NAMES = (
    "Maria Jonas Aisha Liam Sofia Noah Emma Lucas Mia Elias Olivia Ben Chloe Omar Hanna "
    "Mateo Zoe Felix Nora Arjun Ines Leo Clara Samuel Yara Jakob Lea Daniel Amara Theo"
).split()
LAST_NAMES = (
    "Schmidt Okafor Lopez Chen Novak Rossi Jensen Kowalski Dubois Silva Tanaka Murphy "
    "Petrov Haddad Nielsen Garcia Brown Kim Weber Costa Ivanova Moreau Singh Lindqvist "
    "Fischer Ahmed Bianchi Keller Walsh Yilmaz"
).split()
COMPANY_WORDS_1 = (
    "Blue Bright Nordic Summit Quantum Green Iron Silver Swift Clear Atlas Pioneer Vertex "
    "Harbor Cedar Polar Urban Prime Solid Nova"
).split()
COMPANY_WORDS_2 = (
    "Harbor Logic Systems Works Labs Dynamics Analytics Foods Freight Health Robotics "
    "Energy Media Finance Retail Cloud Motors Textiles Pharma Security"
).split()
COMPANY_SUFFIXES = ["Inc", "GmbH", "Ltd", "AB", "SA", "LLC", "BV", "Group"]
INDUSTRIES = [
    "Software",
    "Manufacturing",
    "Financial Services",
    "Healthcare",
    "Retail",
    "Logistics",
    "Education",
    "Media",
    None,
    None,
]
LIFECYCLE_STAGES = [
    "subscriber",
    "lead",
    "lead",
    "marketingqualifiedlead",
    "salesqualifiedlead",
    "opportunity",
    "customer",
    None,
]
TEMPLATE_TOPICS = [
    "Intro",
    "Follow-up",
    "Case study",
    "Break-up",
    "Pricing",
    "Webinar invite",
    "Check-in",
    "ROI calculator",
    "Referral ask",
    "Event recap",
]
TEMPLATE_SUBJECTS = [
    "Quick question, {{first_name}}",
    "Ideas for {{company}}",
    "Worth a chat?",
    "How {{company}} could save 10 hours a week",
    "Following up",
    "Should I close your file?",
    "Our customers in your industry",
    "Invitation: live demo next week",
]
EMAIL_LINKS = [
    "https://www.acme-gtm.com/demo",
    "https://www.acme-gtm.com/pricing",
    "https://www.acme-gtm.com/customers/nordic-freight",
    "https://meetings.acme-gtm.com/team/intro",
    "https://www.acme-gtm.com/blog/cold-email-tips?utm_source=sales",
]
SITE_PAGES = [
    "/",
    "/pricing",
    "/features",
    "/about",
    "/blog",
    "/blog/cold-email-tips",
    "/customers",
    "/contact",
    "/demo",
    "/careers",
]

USER_TEAMS = [
    "Enterprise",
    "Enterprise",
    "Mid-Market",
    "Enterprise",
    "Mid-Market",
    "SMB",
    "SMB",
    None,
]
# Share of enrollments per user of a group: two heavy senders (sender score
# available), six below 100 completed enrollments (user 6 is inactive).
USER_WEIGHTS = [0.50, 0.34, 0.03, 0.03, 0.03, 0.025, 0.02, 0.025]

SEQUENCE_NAMES = [
    "Inbound demo follow-up",
    "Outbound CFO",
    "Webinar attendees",
    "Trial nurture",
    "Enterprise ABM",
    "Re-engage closed lost",
    "Event no-shows",
    "Partner referrals",
    "Product launch outreach",
    "Pricing page visitors",
    "New-hire intro (2025)",
    "Legacy cold outreach",
]
SEQUENCE_FOLDERS = [
    "Inbound",
    "Outbound",
    "Events",
    "Inbound",
    "Outbound",
    None,
    "Events",
    "Partners",
    "Outbound",
    "Inbound",
    None,
    "Outbound",
]
SEQUENCE_WEIGHTS = [0.15, 0.12, 0.10, 0.10, 0.09, 0.08, 0.08, 0.07, 0.06, 0.06, 0.05, 0.04]
SEQUENCE_NEW = 10  # pattern of the sequence created in 2025
SEQUENCE_DELETED = 11  # pattern of the deleted sequence
SEQUENCE_DELETED_AT = _epoch(2025, 4, 1)
# EDGE: deleted steps. A step changed on this date: older enrollments ran the
# step that is now deleted (pattern 2 and 9: replaced at the same step_order,
# so orders are unique only among steps that are not deleted; pattern 5: the
# last step was removed).
SEQUENCE_CHANGED_AT = {2: _epoch(2024, 9, 1), 5: _epoch(2024, 10, 15), 9: _epoch(2025, 2, 1)}

A, M, C, L, T = (
    "AUTOMATED_EMAIL",
    "MANUAL_EMAIL_TASK",
    "CALL_TASK",
    "LINKEDIN_TASK",
    "TODO_TASK",
)
# (action_type, delay_days, role) per step slot; the slot's step_order is its
# position among the non-deleted steps, a deleted step takes the order given.
_STEPS: dict[int, list[tuple[str, int, str] | tuple[str, int, str, int]]] = {
    0: [(A, 0, "active"), (C, 2, "active"), (A, 3, "active"), (L, 2, "active")],
    1: [(A, 0, "active"), (A, 3, "active"), (A, 4, "active")],
    2: [
        (A, 0, "active"),
        (A, 2, "replacement"),
        (C, 2, "active"),
        (A, 3, "active"),
        (T, 3, "active"),
        (A, 2, "deleted", 2),
    ],
    3: [(A, 1, "active"), (L, 2, "active"), (A, 3, "active")],  # first step waits a day
    4: [(M, 0, "active"), (A, 2, "active"), (C, 3, "active"), (A, 4, "active")],
    5: [(A, 0, "active"), (A, 3, "active"), (M, 3, "active"), (C, 2, "deleted", 4)],
    6: [(A, 0, "active"), (L, 1, "active"), (A, 3, "active"), (T, 3, "active")],
    7: [(A, 0, "active"), (C, 2, "active"), (A, 2, "active"), (M, 3, "active"), (A, 4, "active")],
    8: [(A, 1, "active"), (A, 4, "active"), (C, 3, "active")],  # first step waits a day
    9: [(A, 0, "active"), (A, 3, "active"), (A, 4, "replacement"), (M, 3, "deleted", 3)],
    10: [(A, 0, "active"), (A, 2, "active"), (A, 3, "active"), (C, 2, "active")],
    11: [(A, 0, "active"), (A, 3, "active"), (T, 2, "active")],
}

MAX_STEPS = max(len(steps) for steps in _STEPS.values())
"""More than any version of a sequence has."""

CAMPAIGNS: list[dict[str, object]] = [
    # r, name, utm_campaign, dates, budget, goals (sessions, new contacts, influenced)
    dict(
        r=0,
        name="Spring Webinar 2025",
        utm="spring_webinar_2025",
        start=(2025, 3, 1),
        end=(2025, 5, 31),
        budget="15000.00",
        goals=(1200, 80, 300),
        owner=0,
        me_send=_epoch(2025, 3, 5, 15),
        spend=["google_ads", "linkedin_ads"],
    ),
    dict(
        r=1,
        name="Q4 Product Launch",
        utm="q4_launch_2024",
        start=(2024, 10, 1),
        end=(2024, 12, 31),
        budget="40000.00",
        goals=(2500, 150, None),
        owner=2,
        me_send=_epoch(2024, 10, 3, 14),
        spend=["google_ads", "meta_ads", "linkedin_ads"],
    ),
    dict(
        r=2,
        name="Black Friday 2024",
        utm="black_friday_2024",
        start=(2024, 11, 20),
        end=(2024, 12, 2),
        budget="8000.00",
        goals=(None, None, None),
        owner=5,
        me_send=_epoch(2024, 11, 21, 9),
        spend=[],
    ),
    dict(
        r=3,
        name="ABM Enterprise",
        utm="abm_enterprise",
        start=(2024, 4, 1),
        end=None,
        budget="60000.00",
        goals=(500, 40, 200),
        owner=3,
        me_send=_epoch(2024, 4, 10, 8),
        spend=["linkedin_ads"],
    ),
    dict(
        r=4,
        name="Partner Summit 2025",
        utm="partner_summit_2025",
        start=(2025, 5, 1),
        end=(2025, 6, 15),
        budget=None,
        goals=(None, None, 100),
        owner=None,
        me_send=_epoch(2025, 5, 6, 10),
        spend=[],
    ),
    dict(
        r=5,
        name="Always-on Nurture",
        utm=None,
        start=None,
        end=None,
        budget=None,
        goals=(None, None, None),
        owner=4,
        me_send=_epoch(2024, 2, 1, 10),
        spend=[],
    ),
]
# Campaign assets: (r, slot, asset_type, name, url prefix, path, url suffix,
# days after the campaign's creation that it was associated).
# EDGE: asset URLs that match page views only after normalising (upper-case
# host, `www.`, query string, fragment, trailing slash); blog posts associated
# weeks after their first page views.
_ASSETS: list[tuple[int, int, str, str, str | None, str | None, str, int]] = [
    (
        0,
        0,
        "LANDING_PAGE",
        "Webinar registration page",
        "https://WWW.Acme-GTM.com",
        "/lp/spring-webinar-2025",
        "/",
        0,
    ),
    (
        0,
        1,
        "WEBSITE_PAGE",
        "Webinar agenda",
        "https://www.acme-gtm.com",
        "/events/spring-webinar-2025",
        "",
        0,
    ),
    (
        0,
        2,
        "BLOG_POST",
        "Webinar recap",
        "https://acme-gtm.com",
        "/blog/webinar-recap-2025",
        "?hs_preview=1",
        45,
    ),
    (0, 3, "MARKETING_EMAIL", "Webinar invitation", None, None, "", 0),
    (0, 4, "FORM", "Webinar registration form", None, None, "", 0),
    (0, 5, "SOCIAL_POST", "LinkedIn webinar teaser", None, None, "", 1),
    (0, 6, "AD", "Google Ads: webinar", None, None, "", 1),
    (0, 7, "CTA", "Register now button", None, None, "", 2),
    (
        1,
        0,
        "LANDING_PAGE",
        "Launch page",
        "https://www.acme-gtm.com",
        "/lp/q4-launch",
        "?utm_source=hubspot&utm_medium=email",
        0,
    ),
    (
        1,
        1,
        "WEBSITE_PAGE",
        "Insights product page",
        "https://www.acme-gtm.com",
        "/product/insights",
        "#overview",
        0,
    ),
    (
        1,
        2,
        "BLOG_POST",
        "Introducing Insights",
        "https://www.acme-gtm.com",
        "/blog/introducing-insights",
        "",
        35,
    ),
    (1, 3, "MARKETING_EMAIL", "Launch announcement", None, None, "", 0),
    (1, 4, "FORM", "Launch demo request", None, None, "", 0),
    (1, 5, "SOCIAL_POST", "Launch video post", None, None, "", 2),
    (1, 6, "AD", "LinkedIn sponsored content: launch", None, None, "", 2),
    (
        2,
        0,
        "LANDING_PAGE",
        "Black Friday offer",
        "https://www.acme-gtm.com",
        "/lp/black-friday",
        "",
        0,
    ),
    (2, 3, "MARKETING_EMAIL", "Black Friday offer email", None, None, "", 0),
    (2, 4, "FORM", "Black Friday claim form", None, None, "", 0),
    (2, 5, "SOCIAL_POST", "Black Friday countdown", None, None, "", 0),
    (2, 6, "AD", "Meta ads: Black Friday", None, None, "", 0),
    (
        3,
        0,
        "LANDING_PAGE",
        "Enterprise landing page",
        "https://www.acme-gtm.com",
        "/lp/enterprise",
        "",
        0,
    ),
    (3, 1, "WEBSITE_PAGE", "Enterprise plan", "https://www.acme-gtm.com", "/enterprise", "", 0),
    (
        3,
        2,
        "BLOG_POST",
        "The ABM playbook",
        "https://acme-gtm.com",
        "/blog/abm-playbook",
        "/#intro",
        75,
    ),
    (3, 3, "MARKETING_EMAIL", "Enterprise newsletter", None, None, "", 0),
    (3, 4, "FORM", "Talk to sales", None, None, "", 0),
    (3, 5, "SOCIAL_POST", "Customer story: Nordic Freight", None, None, "", 5),
    (3, 6, "AD", "LinkedIn ads: ABM", None, None, "", 0),
    (3, 7, "CTA", "Book an enterprise demo", None, None, "", 0),
    (
        4,
        0,
        "LANDING_PAGE",
        "Partner Summit registration",
        "https://www.acme-gtm.com",
        "/lp/partner-summit",
        "",
        0,
    ),
    (
        4,
        2,
        "BLOG_POST",
        "Partner Summit agenda",
        "https://www.acme-gtm.com",
        "/blog/partner-summit-agenda",
        "",
        3,
    ),
    (4, 3, "MARKETING_EMAIL", "Partner Summit invitation", None, None, "", 0),
    (4, 4, "FORM", "Partner Summit registration form", None, None, "", 0),
    (4, 5, "SOCIAL_POST", "Partner Summit speakers", None, None, "", 1),
    (5, 1, "WEBSITE_PAGE", "Resource library", "https://www.acme-gtm.com", "/resources", "", 0),
    (
        5,
        2,
        "BLOG_POST",
        "Sales sequences 101",
        "https://www.acme-gtm.com",
        "/blog/sales-sequences-101",
        "",
        0,
    ),
    (5, 3, "MARKETING_EMAIL", "Monthly nurture", None, None, "", 0),
    (5, 7, "CTA", "Download the guide", None, None, "", 0),
]
# EDGE: one asset in two campaigns: campaign pattern 4 also holds the
# landing page (slot 0) and the form (slot 4) of campaign pattern 0.
_SHARED_ASSETS = [(4, 0, 0), (4, 0, 4)]  # (campaign pattern, owner pattern, slot)
_ASSET_PREFIX = {
    "LANDING_PAGE": "pg_",
    "WEBSITE_PAGE": "pg_",
    "BLOG_POST": "pg_",
    "MARKETING_EMAIL": "mem_",
    "FORM": "frm_",
    "SOCIAL_POST": "soc_",
    "AD": "ad_",
    "CTA": "cta_",
}
GENERAL_FORM_KEY = 1  # the "Contact us" form, in no campaign

# Web session source categories (campaigns.md) and their shares.
SESSION_CATEGORIES = [
    ("PAID_SEARCH", 0.10),
    ("PAID_SOCIAL", 0.07),
    ("EMAIL", 0.10),
    ("SOCIAL_UTM", 0.05),
    ("SOCIAL_REF", 0.06),
    ("OTHER_UTM", 0.05),
    ("ORGANIC_SEARCH", 0.22),
    ("REFERRAL", 0.09),
    ("INTERNAL", 0.03),
    ("DIRECT", 0.23),
]


# --------------------------------------------------------------------------- #
# SQL helpers
# --------------------------------------------------------------------------- #


def _lit(value: object) -> str:
    """A Python value as a SQL literal."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def _list(values: Sequence[object]) -> str:
    """A Python sequence as a DuckDB list literal."""
    return "[" + ", ".join(_lit(v) for v in values) + "]"


def _bucket(x: str, weights: Sequence[float]) -> str:
    """The bucket (0-based) that ``x``, a number in [0, 1), falls in for these weights:
    how many of the running sums (each rounded to 6 places, without the last) are <= x.
    A CASE, much cheaper per row than counting the sums in a list with a lambda."""
    total, cases = 0.0, []
    for i, w in enumerate(weights[:-1]):
        total += w
        cases.append(f"WHEN {x} < {round(total, 6)!r}::DOUBLE THEN {i}")
    return f"CASE {' '.join(cases)} ELSE {len(weights) - 1} END"


def _values(rows: Sequence[Sequence[object]], alias: str, names: Sequence[str]) -> str:
    """A VALUES table expression named ``alias`` with column names."""
    body = ",\n  ".join("(" + ", ".join(_lit(v) for v in row) + ")" for row in rows)
    return f"(VALUES\n  {body}\n) AS {alias}({', '.join(names)})"


@dataclass(frozen=True)
class _Params:
    """What every table builder needs: the seed and the derived counts."""

    seed: int
    sizes: Sizes

    @property
    def users(self) -> int:
        return 8 * self.sizes.user_groups

    @property
    def sequences(self) -> int:
        return 12 * self.sizes.sequence_groups

    @property
    def campaigns(self) -> int:
        return 6 * self.sizes.campaign_groups

    @property
    def visitors_base(self) -> int:
        """First visitor key of the anonymous visitors (contacts use 2c, 2c + 1)."""
        return 2 * self.sizes.contacts

    @property
    def width(self) -> int:
        """Digits of the zero-padded numeric part of every id."""
        s = self.sizes
        largest = max(
            s.enrollments * 8 * 16,  # email events
            s.enrollments * 32 + s.contacts * 4,  # inbound emails
            (self.visitors_base + s.anonymous_visitors) * 8 * 16,  # asset clicks
            s.contacts * 4 * 16,  # marketing email events
            self.campaigns * 8 + 8,
        )
        return max(6, len(str(largest)) + 1)


# --------------------------------------------------------------------------- #
# Table builders. Tables named `_x` are internal temp tables. The big ones hold
# one chunk of keys at a time (`_enr` and what derives from it: a range of
# enrollments; `_contacts`, `_visitors` and what derives from them: a range of
# contacts or anonymous visitors) and are replaced by the next chunk. Each
# `_sql_<table>` returns a SELECT of one raw table's columns plus `_k`, its
# output order, over the current chunk; keys are laid out so that every `_k` of
# a later chunk is greater than every `_k` of an earlier one.
# --------------------------------------------------------------------------- #


def _macros(p: _Params) -> str:
    seed = int(p.seed)
    return f"""
-- rnd: a uniform number in [0, 1) from (salt, key, seed); never random()
CREATE OR REPLACE MACRO rnd(salt, k) AS
    ((hash(salt, CAST(k AS BIGINT), {seed}::BIGINT) >> 11)::DOUBLE / 9007199254740992.0);
CREATE OR REPLACE MACRO ri(salt, k, n) AS CAST(floor(rnd(salt, k) * (n)) AS BIGINT);
CREATE OR REPLACE MACRO pick(salt, k, xs) AS xs[1 + ri(salt, k, len(xs))];
-- sid: an id, the key zero-padded to the width (as lpad, but faster)
CREATE OR REPLACE MACRO sid(prefix, k) AS
    prefix || substr(CAST(k + {10**p.width} AS VARCHAR), 2);
-- when the k-th executed step of an enrollment ran (k = 1 right after enrolment)
CREATE OR REPLACE MACRO step_t(enrolled, cds, k, off) AS
    enrolled + cds[k] * {DAY} + CASE WHEN k = 1 THEN 300 ELSE off END;
-- which campaign pattern a visit at time t most likely belongs to
CREATE OR REPLACE MACRO camp_r(t, x) AS CASE
    WHEN t >= {_epoch(2025, 5, 1)} AND t < {_epoch(2025, 6, 16)} AND x < 0.5 THEN 4
    WHEN t >= {_epoch(2025, 3, 1)} AND t < {_epoch(2025, 6, 1)} THEN 0
    WHEN t >= {_epoch(2024, 11, 20)} AND t < {_epoch(2024, 12, 3)} AND x < 0.6 THEN 2
    WHEN t >= {_epoch(2024, 10, 1)} AND t < {_epoch(2025, 1, 1)} THEN 1
    WHEN t >= {_epoch(2024, 4, 1)} THEN 3
    ELSE 5 END;
-- a page URL as a browser may report it (host case, www., query, fragment, slash)
CREATE OR REPLACE MACRO url_variant(path, k) AS
    CASE WHEN rnd('uh', k) < 0.75 THEN 'https://www.acme-gtm.com'
         WHEN rnd('uh', k) < 0.87 THEN 'https://acme-gtm.com'
         WHEN rnd('uh', k) < 0.94 THEN 'https://WWW.ACME-GTM.COM'
         ELSE 'https://Www.Acme-Gtm.com' END
    || path ||
    CASE WHEN path = '/' OR rnd('us', k) < 0.82 THEN ''
         WHEN rnd('us', k) < 0.88 THEN '/'
         WHEN rnd('us', k) < 0.94 THEN '?ref=nav'
         ELSE '#top' END;
-- output renderings (CSV text variants)
CREATE OR REPLACE MACRO ts_txt(x, k, salt) AS CASE
    WHEN x IS NULL THEN NULL
    WHEN rnd(salt, k) < 0.80 THEN strftime(make_timestamp(x * 1000000), '%Y-%m-%dT%H:%M:%SZ')
    WHEN rnd(salt, k) < 0.88
        THEN strftime(make_timestamp((x + 3600) * 1000000), '%Y-%m-%d %H:%M:%S') || '+01:00'
    WHEN rnd(salt, k) < 0.93
        THEN strftime(make_timestamp((x - 18000) * 1000000), '%Y-%m-%dT%H:%M:%S') || '-05:00'
    ELSE strftime(make_timestamp(x * 1000000), '%Y-%m-%d %H:%M:%S') END;
CREATE OR REPLACE MACRO bool_txt(b, k, salt) AS CASE
    WHEN b IS NULL THEN NULL
    WHEN rnd(salt, k) < 0.94 THEN CASE WHEN b THEN 'true' ELSE 'false' END
    WHEN rnd(salt, k) < 0.96 THEN CASE WHEN b THEN '1' ELSE '0' END
    WHEN rnd(salt, k) < 0.98 THEN CASE WHEN b THEN 'T' ELSE 'F' END
    ELSE CASE WHEN b THEN 'True' ELSE 'False' END END;
-- EDGE: enum values mostly upper case, a few lower-case or space-padded
CREATE OR REPLACE MACRO enum_txt(x, k, salt) AS CASE
    WHEN x IS NULL THEN NULL
    WHEN rnd(salt, k) < 0.97 THEN x
    WHEN rnd(salt, k) < 0.985 THEN lower(x)
    WHEN rnd(salt, k) < 0.995 THEN ' ' || lower(x)
    ELSE x || ' ' END;
-- companies and contacts as functions of their key: a row that points at a
-- random contact needs no table of all contacts
CREATE OR REPLACE MACRO co_base(c) AS
    pick('cw1', c, {_list(COMPANY_WORDS_1)}) || ' ' || pick('cw2', c, {_list(COMPANY_WORDS_2)});
CREATE OR REPLACE MACRO ct_company(i) AS
    CASE WHEN rnd('ccn', i) < 0.07 THEN NULL ELSE ri('cco', i, {p.sizes.companies}) END;
-- marketing-sourced contacts are created by their first form submission,
-- after earlier anonymous visits (EDGE: contacts created after touchpoints)
CREATE OR REPLACE MACRO ct_is_mkt(i) AS rnd('csrc', i) < 0.32;
-- contacts of the pinned enrollments (0 .. 200) are old enough to have finished
CREATE OR REPLACE MACRO ct_created(i) AS
    CASE WHEN i < 201 THEN {START} + ri('cca', i, 300 * {DAY})
         ELSE {START} + ri('cca', i, {NOW - 12 * DAY - START}) END;
CREATE OR REPLACE MACRO ct_fn(i) AS pick('cfn', i, {_list(FIRST_NAMES)});
CREATE OR REPLACE MACRO ct_ln(i) AS pick('cln', i, {_list(LAST_NAMES)});
"""


def _sql_users(p: _Params) -> str:
    # EDGE: one user of each group has no team, one is inactive.
    return f"""
WITH named AS (
    SELECT u, pick('ufn', u, {_list(FIRST_NAMES)}) AS fn, pick('uln', u, {_list(LAST_NAMES)}) AS ln
    FROM range({p.users}) AS t(u)
)
SELECT
    u AS _k,
    sid('usr_', u) AS user_id,
    lower(fn) || '.' || lower(ln) || CASE WHEN u >= 8 THEN CAST(u AS VARCHAR) ELSE '' END
        || '@acme-gtm.com' AS email,
    fn || ' ' || ln AS full_name,
    {_list(USER_TEAMS)}[1 + u % 8] AS team_name,
    u % 8 <> 6 AS is_active
FROM named
"""


def _sql_companies(p: _Params, lo: int, hi: int) -> str:
    return f"""
SELECT
    c AS _k,
    c AS company_id,
    co_base(c) || ' ' || pick('csf', c, {_list(COMPANY_SUFFIXES)}) AS name,
    CASE WHEN rnd('cdn', c) < 0.05 THEN NULL
         ELSE lower(replace(co_base(c), ' ', '-')) || '-' || c || '.com' END AS domain,
    pick('cin', c, {_list(INDUSTRIES)}) AS industry,
    {START} - 200 * {DAY} + ri('ccr', c, 520 * {DAY}) AS created_at
FROM range({lo}, {hi}) AS t(c)
"""


def _contacts(p: _Params, lo: int, hi: int) -> str:
    """The chunk of contacts lo .. hi - 1."""
    return f"""
CREATE OR REPLACE TEMP TABLE _contacts AS
SELECT
    c,
    ct_company(c) AS company_idx,
    ct_is_mkt(c) AS is_mkt,
    ct_created(c) AS created_at,
    ct_is_mkt(c) OR rnd('chv', c) < 0.25 AS has_visitor,
    -- EDGE: contacts with two visitors (two devices)
    (ct_is_mkt(c) OR rnd('chv', c) < 0.25) AND rnd('c2v', c) < 0.08 AS has_second_visitor
FROM range({lo}, {hi}) AS t(c);
"""


def _sql_contacts(p: _Params) -> str:
    return f"""
WITH named AS (
    SELECT
        *,
        CASE WHEN company_idx IS NOT NULL THEN co_base(company_idx) END AS base_name,
        ct_fn(c) AS fn,
        ct_ln(c) AS ln
    FROM _contacts
)
SELECT
    c AS _k,
    c AS contact_id,
    CASE WHEN rnd('cem', c) < 0.03 THEN NULL
         ELSE lower(fn) || '.' || lower(ln) || c || '@'
              || coalesce(lower(replace(base_name, ' ', '')) || '.example', 'mail.example')
    END AS email,
    CASE WHEN rnd('cnf', c) < 0.02 THEN NULL ELSE fn END AS first_name,
    CASE WHEN rnd('cnl', c) < 0.02 THEN NULL ELSE ln END AS last_name,
    company_idx AS company_id,
    pick('cls', c, {_list(LIFECYCLE_STAGES)}) AS lifecycle_stage,
    created_at,
    created_at + ri('cup', c, {NOW} - created_at) AS updated_at
FROM named
"""


def _sql_email_templates(p: _Params, lo: int, hi: int) -> str:
    return f"""
SELECT
    t AS _k,
    sid('tpl_', t) AS template_id,
    pick('ttp', t, {_list(TEMPLATE_TOPICS)}) || ' #' || (t + 1) AS name,
    pick('tsb', t, {_list(TEMPLATE_SUBJECTS)}) AS subject,
    {START} - 150 * {DAY} + ri('tcr', t, 60 * {DAY}) AS created_at
FROM range({lo}, {hi}) AS t(t)
"""


def _sequences(p: _Params) -> str:
    created = [
        _epoch(2025, 1, 15) if r == SEQUENCE_NEW else START - 90 * DAY + r * 5 * DAY
        for r in range(12)
    ]
    changed = [SEQUENCE_CHANGED_AT.get(r) for r in range(12)]
    return f"""
CREATE OR REPLACE TABLE _seq AS
SELECT
    s, s % 12 AS r, s // 12 AS g,
    sid('seq_', s) AS sequence_id,
    {_list(created)}[1 + s % 12] + (s // 12) * 600 + ri('sqc', s, 3600) AS created_at,
    {_list(changed)}[1 + s % 12] AS change_at,
    -- EDGE: a deleted sequence (its running enrollments end SEQUENCE_DELETED)
    CASE WHEN s % 12 = {SEQUENCE_DELETED} THEN {SEQUENCE_DELETED_AT} END AS del_at
FROM range({p.sequences}) AS t(s);
"""


def _sql_sequences(p: _Params) -> str:
    return f"""
SELECT
    s AS _k,
    sequence_id,
    {_list(SEQUENCE_NAMES)}[1 + r] || CASE WHEN g > 0 THEN ' #' || g ELSE '' END AS name,
    {_list(SEQUENCE_FOLDERS)}[1 + r] AS folder_name,
    sid('usr_', (r * 3) % 8 + 8 * (g % {p.sizes.user_groups})) AS owner_user_id,
    created_at,
    del_at IS NOT NULL AS is_deleted
FROM _seq
"""


def _steps(p: _Params) -> str:
    rows: list[tuple[object, ...]] = []
    for r, steps in _STEPS.items():
        order = 0
        for slot, step in enumerate(steps):
            action, delay, role = step[0], step[1], step[2]
            if role == "deleted":
                step_order = step[3]  # type: ignore[misc]
            else:
                order += 1
                step_order = order
            rows.append((r, slot, step_order, action, delay, role))
    pattern = _values(rows, "pt", ["r", "slot", "step_order", "action_type", "delay_days", "role"])
    return f"""
CREATE OR REPLACE TABLE _steps AS
SELECT
    sq.s, pt.slot, sq.s * 8 + pt.slot AS step_key,
    sid('stp_', sq.s * 8 + pt.slot) AS step_id,
    sq.sequence_id, pt.step_order, pt.action_type, pt.delay_days, pt.role,
    CASE WHEN pt.action_type IN ('{A}', '{M}')
         THEN (sq.s * 5 + pt.slot * 7) % {p.sizes.templates} END AS tpl,
    CASE WHEN pt.role = 'replacement' THEN sq.change_at
         ELSE sq.created_at + 600 * (pt.slot + 1) END AS created_at
FROM _seq AS sq
JOIN {pattern} ON pt.r = sq.r;

-- the steps an enrollment runs, by version: version 0 before the sequence's
-- change (with the since-deleted step), version 1 after it
CREATE OR REPLACE TABLE _vsteps AS
SELECT
    st.*, v.v,
    row_number() OVER (PARTITION BY st.s, v.v ORDER BY st.step_order) AS k,
    sum(st.delay_days) OVER (
        PARTITION BY st.s, v.v ORDER BY st.step_order ROWS UNBOUNDED PRECEDING
    ) AS cd
FROM _steps AS st
JOIN _seq AS sq ON sq.s = st.s
CROSS JOIN (VALUES (0), (1)) AS v(v)
WHERE (v.v = 0 AND st.role <> 'replacement')
   OR (v.v = 1 AND sq.change_at IS NOT NULL AND st.role <> 'deleted');

CREATE OR REPLACE TABLE _vinfo AS
SELECT
    s, v, count(*) AS n_steps,
    list(CAST(cd AS BIGINT) ORDER BY k) AS cds,
    list(step_order ORDER BY k) AS orders,
    list(k ORDER BY k) FILTER (WHERE action_type = '{A}') AS auto_ks
FROM _vsteps
GROUP BY s, v;
"""


def _sql_sequence_steps(p: _Params) -> str:
    return """
SELECT
    step_key AS _k,
    step_id, sequence_id, step_order, action_type,
    sid('tpl_', tpl) AS template_id,
    delay_days,
    role = 'deleted' AS is_deleted,
    created_at
FROM _steps
"""


def _enrollments(p: _Params, keys: str) -> str:
    """The enrollments whose keys `e` the relation ``keys`` holds (a chunk)."""
    s = p.sizes
    pinned = min(201, s.enrolled_contacts, s.enrollments)
    n_due = " + ".join(
        f"CASE WHEN {k} <= n_steps AND step_t(enrolled_at, cds, {k}, off) <= cutoff THEN 1 "
        "ELSE 0 END"
        for k in range(1, MAX_STEPS + 1)
    )
    return f"""
CREATE OR REPLACE TEMP TABLE _enr AS
WITH base AS (
    SELECT
        e,
        -- most contacts have one enrollment, some several
        CASE WHEN e < {s.enrolled_contacts} THEN e
             ELSE ri('ecn', e, {s.enrolled_contacts}) END AS c,
        {_bucket("rnd('eur', e)", USER_WEIGHTS)}
            + 8 * ri('eug', e, {s.user_groups}) AS u0,
        {_bucket("rnd('esr', e)", SEQUENCE_WEIGHTS)}
            + 12 * ri('esg', e, {s.sequence_groups}) AS s0
    FROM {keys} AS t(e)
), pinned AS (
    -- EDGE: sender-score threshold: user 0 x sequence 1 has exactly 100 completed
    -- enrollments, user 1 x sequence 2 exactly 101; no other enrollment is in them
    SELECT
        e, c, e < {pinned} AS is_pinned,
        CASE WHEN e < 100 AND e < {pinned} THEN 0 WHEN e < {pinned} THEN 1 ELSE u0 END AS u,
        CASE WHEN e < 100 AND e < {pinned} THEN 1 WHEN e < {pinned} THEN 2
             WHEN (u0 = 0 AND s0 = 1) OR (u0 = 1 AND s0 = 2) THEN s0 + 2
             ELSE s0 END AS s1
    FROM base
), seq AS (
    SELECT
        pn.e, pn.c, pn.u, pn.is_pinned,
        -- the deleted sequence only enrolled contacts that existed well before deletion
        CASE WHEN sq.del_at IS NOT NULL AND ct_created(pn.c) > sq.del_at - 30 * {DAY}
             THEN pn.s1 - 1 ELSE pn.s1 END AS s,
        ct_created(pn.c) AS contact_created_at,
        ct_company(pn.c) AS contact_company_idx
    FROM pinned AS pn
    JOIN _seq AS sq ON sq.s = pn.s1
), span AS (
    SELECT
        e1.*, sq.created_at AS seq_created_at, sq.change_at, sq.del_at,
        -- EDGE: scheduled enrollments start after now
        (NOT e1.is_pinned AND sq.del_at IS NULL AND rnd('esch', e1.e) < 0.03) AS is_sched,
        greatest(e1.contact_created_at, sq.created_at) + 3600 AS lo,
        CASE WHEN e1.is_pinned THEN {NOW - 90 * DAY}
             WHEN sq.del_at IS NOT NULL THEN sq.del_at - 2 * {DAY}
             ELSE {NOW - 1800} END AS hi
    FROM seq AS e1
    JOIN _seq AS sq ON sq.s = e1.s
), enrolled AS (
    SELECT
        *,
        CASE WHEN is_sched THEN {NOW} + 3600 + ri('esd', e, 14 * {DAY})
             -- a few enrolled in the last days (some have not run their first step yet)
             WHEN NOT is_pinned AND del_at IS NULL AND rnd('erec', e) < 0.02
                 THEN {NOW - 1800} - ri('ead', e, 3 * {DAY})
             ELSE lo + ri('ead', e, greatest(hi - lo, 1)) END AS enrolled_at
    FROM span
), a AS (
    SELECT
        e2.*,
        CASE WHEN e2.change_at IS NOT NULL AND e2.enrolled_at >= e2.change_at THEN 1 ELSE 0 END
            AS v
    FROM enrolled AS e2
), b AS (
    SELECT
        a.*, vi.n_steps, vi.cds, vi.orders, vi.auto_ks,
        60 + ri('eoff', a.e, 3 * 3600) AS off,
        coalesce(a.del_at, {NOW}) AS cutoff,
        rnd('eng', a.e) AS eng,
        rnd('eout', a.e) AS xo
    FROM a
    JOIN _vinfo AS vi ON vi.s = a.s AND vi.v = a.v
), c AS (
    SELECT
        *,
        CASE WHEN xo < 0.030 THEN 'BOUNCE' WHEN xo < 0.040 THEN 'UNSUB'
             WHEN xo < 0.045 THEN 'ERROR_OTHER' WHEN xo < 0.125 THEN 'REPLY'
             WHEN xo < 0.150 THEN 'MEETING' WHEN xo < 0.165 THEN 'ACCOUNT_REPLY'
             WHEN xo < 0.175 THEN 'ACCOUNT_MEETING' WHEN xo < 0.215 THEN 'MANUAL'
             WHEN xo < 0.235 THEN 'WORKFLOW' WHEN xo < 0.275 AND NOT is_pinned THEN 'PAUSE'
             ELSE 'NATURAL' END AS outcome,
        auto_ks[1 + ri('erk', e, len(auto_ks))] AS reply_k,
        -- how many steps were due by the cutoff (steps run in order)
        {n_due} AS n_due
    FROM b
), d AS (
    SELECT
        *,
        -- EDGE: a reply to an earlier step's email, received after the next step ran
        outcome = 'REPLY' AND reply_k < n_steps AND rnd('elr', e) < 0.35 AS is_late_reply
    FROM c
), f AS (
    SELECT
        *,
        CASE outcome
            WHEN 'BOUNCE' THEN auto_ks[1]
            WHEN 'UNSUB' THEN reply_k
            WHEN 'REPLY' THEN reply_k + CASE WHEN is_late_reply THEN 1 ELSE 0 END
            WHEN 'NATURAL' THEN n_steps
            WHEN 'PAUSE' THEN 1 + ri('esk', e, greatest(n_steps - 1, 1))
            ELSE 1 + ri('esk', e, n_steps) END AS stop_k
    FROM d
), g AS (
    SELECT
        *,
        step_t(enrolled_at, cds, stop_k, off) + CASE outcome
            WHEN 'BOUNCE' THEN 40 + ri('edl', e, 300)
            WHEN 'NATURAL' THEN {DAY} + ri('edl', e, 2 * {DAY})
            ELSE 1800 + ri('edl', e, 18 * 3600) END AS t_stop
    FROM f
), h AS (
    SELECT
        *,
        CASE WHEN is_sched THEN 'SCHEDULED'
             WHEN t_stop <= cutoff AND outcome = 'NATURAL' THEN 'FINISHED'
             WHEN t_stop <= cutoff AND outcome = 'PAUSE' AND del_at IS NULL THEN 'PAUSED'
             WHEN t_stop <= cutoff AND outcome <> 'PAUSE' THEN 'UNENROLLED'
             WHEN del_at IS NOT NULL THEN 'UNENROLLED'
             ELSE 'EXECUTING' END AS state,
        t_stop <= cutoff AND NOT is_sched
            AND NOT (outcome = 'PAUSE' AND del_at IS NOT NULL) AS stopped
    FROM g
), i AS (
    SELECT
        *,
        CASE WHEN state = 'SCHEDULED' THEN 0 WHEN stopped THEN stop_k ELSE n_due END AS n_exec,
        CASE WHEN state <> 'UNENROLLED' THEN NULL
             WHEN NOT stopped THEN 'SEQUENCE_DELETED'
             WHEN outcome IN ('BOUNCE', 'UNSUB', 'ERROR_OTHER') THEN 'ERROR'
             WHEN outcome = 'REPLY' AND rnd('ethr', e) < 0.2 THEN 'THREAD_REPLY'
             ELSE outcome END AS unenroll_source,
        CASE WHEN state = 'UNENROLLED' AND stopped THEN CASE outcome
             WHEN 'BOUNCE' THEN 'BOUNCED' WHEN 'UNSUB' THEN 'UNSUBSCRIBED'
             WHEN 'ERROR_OTHER' THEN 'OTHER' END END AS error_type,
        CASE WHEN state = 'FINISHED' THEN t_stop
             WHEN state = 'UNENROLLED' AND stopped
                 THEN least({NOW}, t_stop + 60 + ri('eend', e, 600))
             WHEN state = 'UNENROLLED' THEN del_at + 60 + ri('eend', e, 3600) END AS ended_at
    FROM h
)
SELECT
    *,
    CASE WHEN n_exec > 0 THEN orders[n_exec] END AS current_step_order,
    CASE state
        WHEN 'SCHEDULED' THEN {NOW} - 60 - ri('eupd', e, 2 * {DAY})
        WHEN 'PAUSED' THEN least({NOW}, t_stop + 60)
        WHEN 'EXECUTING' THEN CASE WHEN n_exec > 0
            THEN least({NOW}, step_t(enrolled_at, cds, n_exec, off) + 5) ELSE enrolled_at + 1 END
        ELSE least({NOW}, ended_at + ri('eupd', e, 120)) END AS updated_at
FROM i;
"""


def _sql_sequence_enrollments(p: _Params) -> str:
    s = p.sizes
    return f"""
WITH canonical AS (
    SELECT
        *,
        rnd('edup', e) < 0.02 AND state <> 'SCHEDULED' AS has_dup,
        CASE WHEN rnd('edpo', e) < 0.5 THEN 0 ELSE 1 END AS pos
    FROM _enr
), company AS (
    SELECT
        *,
        -- EDGE: company_id null (the contact's company applies) or an explicit other one
        CASE WHEN rnd('eco', e) < 0.10
                 THEN (coalesce(contact_company_idx, 0) + 1
                       + ri('ecx', e, {max(1, s.companies - 1)})) % {s.companies}
             WHEN rnd('eco', e) < 0.14 AND contact_company_idx IS NOT NULL
                 THEN contact_company_idx END AS company_id
    FROM canonical
)
SELECT
    e * 2 + pos AS _k, e AS enrollment_id, s AS sequence_id, c AS contact_id,
    u AS enrolled_by_user_id, company_id, enrolled_at,
    state AS enrollment_state, current_step_order, ended_at, unenroll_source, error_type,
    updated_at
FROM company
UNION ALL
-- EDGE: an older copy of the same enrollment (at-least-once delivery) with an
-- earlier state; the latest updated_at must win (the copy is sometimes last)
SELECT
    e * 2 + 1 - pos AS _k, e, s, c, u, company_id,
    enrolled_at,
    CASE WHEN state = 'EXECUTING' THEN 'PAUSED' ELSE 'EXECUTING' END,
    current_step_order, NULL, NULL, NULL,
    CASE WHEN state = 'EXECUTING' THEN updated_at - 4
         ELSE step_t(enrolled_at, cds, n_exec, off) + 5 END
FROM company
WHERE has_dup AND n_exec > 0
"""


def _executions(p: _Params) -> str:
    """The tasks and emails of the current chunk of enrollments: one row per executed step."""
    steps = """
    SELECT
        en.e, en.e * 8 + vs.k AS key, vs.k, vs.step_key, vs.action_type, vs.tpl, en.c, en.u,
        step_t(en.enrolled_at, en.cds, vs.k, en.off) AS t
    FROM _enr AS en
    JOIN _vsteps AS vs ON vs.s = en.s AND vs.v = en.v AND vs.k <= en.n_exec"""
    return f"""
CREATE OR REPLACE TEMP TABLE _tasks AS
WITH b AS (
    SELECT
        *,
        CASE WHEN rnd('tst', key) < 0.62 THEN 'COMPLETED'
             WHEN rnd('tst', key) < 0.74 THEN 'SKIPPED' ELSE 'NOT_STARTED' END AS status0,
        t + 600 + ri('tdn', key, 20 * 3600) AS done_at
    FROM ({steps}
    WHERE vs.action_type <> '{A}')
)
SELECT
    *,
    CASE WHEN status0 = 'COMPLETED' AND done_at > {NOW} THEN 'NOT_STARTED' ELSE status0 END
        AS status,
    -- EDGE: a few completed call/LinkedIn/to-do tasks carry no completed_at
    CASE WHEN status0 = 'COMPLETED' AND done_at <= {NOW}
              AND NOT (action_type <> '{M}' AND rnd('tnl', key) < 0.02)
         THEN done_at END AS completed_at
FROM b;

-- emails: automated steps, and email tasks once completed; with what their
-- events need
CREATE OR REPLACE TEMP TABLE _emails AS
WITH a AS (
    SELECT
        es.*,
        coalesce(tk.completed_at, es.t) AS sent_at,
        -- EDGE: the template changed since (another template), or none on a task email
        CASE WHEN rnd('etp', es.key) < 0.06
                 THEN (es.tpl + 1 + ri('etx', es.key, {max(1, p.sizes.templates - 1)}))
                      % {p.sizes.templates}
             WHEN es.action_type = '{M}' AND rnd('etp', es.key) < 0.12 THEN NULL
             ELSE es.tpl END AS tpl_used,
        en.outcome, en.state, en.stopped, en.stop_k, en.reply_k, en.t_stop, en.eng,
        en.is_late_reply
    FROM ({steps}
    WHERE vs.action_type IN ('{A}', '{M}')) AS es
    JOIN _enr AS en ON en.e = es.e
    LEFT JOIN (
        SELECT key, completed_at FROM _tasks
        WHERE action_type = '{M}' AND completed_at IS NOT NULL
    ) AS tk ON tk.key = es.key
    WHERE es.action_type = '{A}' OR tk.completed_at IS NOT NULL
), b AS (
    SELECT
        *,
        outcome = 'BOUNCE' AND stopped AND k = stop_k AS is_bounce_email,
        outcome = 'UNSUB' AND stopped AND k = stop_k AS is_unsub_email,
        outcome = 'REPLY' AND stopped AND k = reply_k AS is_reply_email
    FROM a
), c AS (
    SELECT
        *,
        -- EDGE: bounced (ERROR/BOUNCED) without any BOUNCE event
        is_bounce_email AND rnd('bev', e) < 0.85 AS bounce_event,
        -- a soft bounce that did not stop the enrollment
        NOT is_bounce_email AND rnd('sbo', key) < 0.006 AS soft_only,
        is_unsub_email AND rnd('uev', e) < 0.75 AS unsub_event
    FROM b
), d AS (
    SELECT
        *,
        NOT is_bounce_email AND NOT soft_only AS delivered
    FROM c
), f AS (
    SELECT
        *,
        delivered AND (unsub_event OR is_reply_email OR rnd('op', key) < 0.05 + 0.36 * eng)
            AS opened,
        CASE WHEN rnd('osk', key) < 0.005 THEN sent_at - 30 - ri('osx', key, 60)
             ELSE sent_at + 300 + CAST(floor(pow(rnd('ot1', key), 2) * 3 * {DAY}) AS BIGINT) END
            AS open1_at,
        rnd('on2', key) < 0.4 AS has_open2,
        rnd('on3', key) < 0.35 AS has_open3
    FROM d
)
SELECT
    *,
    open1_at + 600 + ri('o2t', key, 2 * {DAY}) AS open2_at,
    (opened AND rnd('ck', key) < 0.22)
        -- EDGE: a click without any open
        OR (delivered AND NOT opened AND rnd('cno', key) < 0.01) AS clicked,
    CASE WHEN opened THEN open1_at ELSE sent_at + 600 END + 10 + ri('c1t', key, 900)
        AS click1_at
FROM f;
"""


def _sql_tasks(p: _Params) -> str:
    return f"""
SELECT
    key AS _k,
    key AS task_id, e AS enrollment_id, step_key AS step_id,
    CASE action_type WHEN '{M}' THEN 'EMAIL' WHEN '{C}' THEN 'CALL'
         WHEN '{L}' THEN 'LINKEDIN' ELSE 'TODO' END AS task_type,
    u AS owner_user_id,
    t AS created_at,
    CASE WHEN rnd('tdu', key) < 0.08 THEN NULL ELSE t + {DAY} END AS due_at,
    completed_at, status
FROM _tasks
"""


def _sql_sequence_emails(p: _Params) -> str:
    return """
SELECT
    key AS _k, key AS email_id, e AS enrollment_id, step_key AS step_id,
    tpl_used AS template_id, u AS sender_user_id, c AS contact_id, sent_at
FROM _emails
"""


def _email_events(p: _Params) -> str:
    """The events of the current chunk of emails."""
    return f"""
CREATE OR REPLACE TEMP TABLE _ev AS
SELECT key * 16 + 0 AS _k, 'DELIVERED' AS event_type,
    -- EDGE: clock skew, delivered before sent
    CASE WHEN rnd('dsk', key) < 0.015 THEN sent_at - 5 - ri('dsx', key, 300)
         ELSE sent_at + 2 + ri('ddt', key, 30) END AS occurred_at,
    NULL AS url, NULL AS bounce_type,
    CASE WHEN rnd('dbn', key) < 0.5 THEN NULL ELSE false END AS is_bot
FROM _emails WHERE delivered
UNION ALL
-- EDGE: bounces of both types
SELECT key * 16 + 1, 'BOUNCE', sent_at + 20 + ri('bot', key, 10), NULL,
    CASE WHEN rnd('btp', key) < 0.7 THEN 'HARD' ELSE 'SOFT' END, NULL
FROM _emails WHERE bounce_event
UNION ALL
SELECT key * 16 + 1, 'BOUNCE', sent_at + 60 + ri('bot', key, 600), NULL, 'SOFT', NULL
FROM _emails WHERE soft_only
UNION ALL
-- human opens (EDGE: is_bot null sometimes: unknown, counted as human)
SELECT key * 16 + 2, 'OPEN', open1_at, NULL, NULL,
    CASE WHEN rnd('nb2', key) < 0.1 THEN NULL ELSE false END
FROM _emails WHERE opened
UNION ALL
SELECT key * 16 + 3, 'OPEN', open2_at, NULL, NULL,
    CASE WHEN rnd('nb3', key) < 0.1 THEN NULL ELSE false END
FROM _emails WHERE opened AND has_open2
UNION ALL
SELECT key * 16 + 4, 'OPEN', open2_at + 600 + ri('o3t', key, 3 * {DAY}), NULL, NULL,
    CASE WHEN rnd('nb4', key) < 0.1 THEN NULL ELSE false END
FROM _emails WHERE opened AND has_open2 AND has_open3
UNION ALL
-- EDGE: bot opens (privacy proxies); some enrollments have only these
SELECT key * 16 + 5, 'OPEN', sent_at + 1 + ri('bat', key, 20), NULL, NULL, true
FROM _emails WHERE delivered AND rnd('bo', key) < 0.15
UNION ALL
SELECT key * 16 + 6, 'CLICK', click1_at, pick('url', key, {_list(EMAIL_LINKS)}), NULL,
    CASE WHEN rnd('nb6', key) < 0.1 THEN NULL ELSE false END
FROM _emails WHERE clicked
UNION ALL
SELECT key * 16 + 7, 'CLICK', click1_at + 60 + ri('c2t', key, {DAY}),
    pick('url2', key, {_list(EMAIL_LINKS)}), NULL, false
FROM _emails WHERE clicked AND rnd('ck2', key) < 0.25
UNION ALL
-- EDGE: bot clicks (link scanners)
SELECT key * 16 + 8, 'CLICK', sent_at + 2 + ri('bct', key, 15),
    pick('url', key, {_list(EMAIL_LINKS)}), NULL, true
FROM _emails WHERE delivered AND rnd('bc', key) < 0.04
UNION ALL
-- EDGE: UNSUBSCRIBE events: the one that stopped the enrollment, and stray ones
SELECT key * 16 + 9, 'UNSUBSCRIBE', t_stop - 20, NULL, NULL, NULL
FROM _emails WHERE unsub_event
UNION ALL
SELECT key * 16 + 9, 'UNSUBSCRIBE', open1_at + 120, NULL, NULL, NULL
FROM _emails WHERE opened AND outcome = 'NATURAL' AND rnd('sun', key) < 0.004
UNION ALL
SELECT key * 16 + 10, 'SPAM_REPORT', sent_at + 600 + ri('spt', key, 2 * {DAY}),
    NULL, NULL, NULL
FROM _emails WHERE delivered AND rnd('sp', key) < 0.003;
"""


def _sql_email_events(p: _Params) -> str:
    return f"""
SELECT _k, _k AS event_id, _k // 16 AS email_id, event_type, occurred_at, url, bounce_type,
    is_bot
FROM _ev WHERE occurred_at <= {NOW}
UNION ALL
-- EDGE: exact repeats of events (same event_id)
SELECT _k, _k, _k // 16, event_type, occurred_at, url, bounce_type, is_bot
FROM _ev WHERE occurred_at <= {NOW} AND rnd('evd', _k) < 0.01
"""


def _sql_email_event_orphans(p: _Params) -> str:
    orphan = p.sizes.enrollments * 8 + 5  # an email key that no enrollment has
    # EDGE: orphan events of an unknown email
    return f"""
SELECT {orphan * 16} + o AS _k, {orphan * 16} + o AS event_id, {orphan} AS email_id,
    CASE o WHEN 0 THEN 'DELIVERED' ELSE 'OPEN' END AS event_type,
    {NOW - 40 * DAY} + o * 3600 AS occurred_at, NULL AS url, NULL AS bounce_type,
    CASE o WHEN 0 THEN NULL ELSE false END AS is_bot
FROM range(2) AS t(o)
"""


def _inbound_rows(p: _Params, rows: str) -> str:
    return f"""
WITH rows AS ({rows})
SELECT _k, _k AS inbound_email_id, contact_id, received_at, in_reply_to_email_id,
    is_auto_reply
FROM rows WHERE received_at <= {NOW}
"""


def _sql_inbound_emails_of_enrollments(p: _Params) -> str:
    return _inbound_rows(
        p,
        f"""
    -- replies that unenrolled the contact (EDGE: some answer no sequence email;
    -- EDGE: some are known only from unenroll_source, with no inbound row)
    SELECT en.e * 32 AS _k, en.c AS contact_id, en.t_stop AS received_at,
        CASE WHEN en.is_late_reply OR en.unenroll_source = 'THREAD_REPLY'
                  OR rnd('rnl', en.e) >= 0.2 THEN re.key END AS in_reply_to_email_id,
        false AS is_auto_reply
    FROM _enr AS en
    LEFT JOIN _emails AS re ON re.e = en.e AND re.k = en.reply_k
    WHERE en.unenroll_source IN ('REPLY', 'THREAD_REPLY') AND rnd('rin', en.e) < 0.9
    UNION ALL
    -- EDGE: a reply before the enrollment started
    SELECT e * 32 + 1, c,
        greatest(contact_created_at + 30, enrolled_at - 60 - ri('rbt', e, 10 * {DAY})), NULL, false
    FROM _enr WHERE state <> 'SCHEDULED' AND rnd('rbe', e) < 0.012
    UNION ALL
    -- a late reply, after a finished enrollment's window
    SELECT en.e * 32 + 2, en.c, en.ended_at + {DAY} + ri('rlt', en.e, 4 * {DAY}), re.key, false
    FROM _enr AS en
    LEFT JOIN _emails AS re ON re.e = en.e AND re.k = en.auto_ks[len(en.auto_ks)]
    WHERE en.state = 'FINISHED' AND rnd('rlr', en.e) < 0.03
    UNION ALL
    -- a reply inside the window that answered no sequence email (not unenrolled)
    SELECT e * 32 + 3, c,
        step_t(enrolled_at, cds, 1, off) + 3600
            + ri('rwt', e, greatest(ended_at - step_t(enrolled_at, cds, 1, off) - 7200, 1)),
        NULL, false
    FROM _enr WHERE state = 'FINISHED' AND rnd('rwr', e) < 0.02
    UNION ALL
    -- EDGE: auto-replies (out of office)
    SELECT key * 4 + 1, c, sent_at + 60 + ri('art', key, 600),
        CASE WHEN rnd('arn', key) < 0.9 THEN key END, true
    FROM _emails WHERE delivered AND rnd('ar', key) < 0.04
""",
    )


def _sql_inbound_emails_of_contacts(p: _Params) -> str:
    # inbound email from contacts outside any sequence (keys after every enrollment's)
    return _inbound_rows(
        p,
        f"""
    SELECT {p.sizes.enrollments * 32} + c * 4 AS _k, c AS contact_id,
        created_at + ri('cit', c, {NOW} - created_at) AS received_at,
        CAST(NULL AS BIGINT) AS in_reply_to_email_id, rnd('cia', c) < 0.2 AS is_auto_reply
    FROM _contacts WHERE rnd('cin', c) < 0.03
""",
    )


def _meeting_rows(p: _Params, rows: str) -> str:
    return f"""
WITH rows AS ({rows})
SELECT _k, _k AS meeting_id, contact_id, owner_user_id, booked_at,
    booked_at + {DAY} + ri('mst', _k, 10 * {DAY}) AS start_at, booking_source
FROM rows WHERE booked_at <= {NOW}
"""


def _sql_meetings_of_enrollments(p: _Params) -> str:
    sources = ["SEQUENCE_EMAIL_LINK", "MEETINGS_LINK", "CALENDAR", "MANUAL"]
    return _meeting_rows(
        p,
        f"""
    -- meetings booked during the enrollment that unenrolled it (EDGE: some are
    -- known only from unenroll_source = MEETING, with no meeting row)
    SELECT e * 4 AS _k, c AS contact_id, u AS owner_user_id, t_stop - 30 AS booked_at,
        CASE WHEN rnd('msr', e) < 0.55 THEN 'SEQUENCE_EMAIL_LINK'
             WHEN rnd('msr', e) < 0.85 THEN 'MEETINGS_LINK'
             WHEN rnd('msr', e) < 0.95 THEN 'CALENDAR' ELSE 'MANUAL' END AS booking_source
    FROM _enr WHERE unenroll_source = 'MEETING' AND rnd('mrow', e) < 0.85
    UNION ALL
    -- EDGE: meetings after the enrollment ended: within the window, exactly
    -- 7 days after ended_at, 7 days + 1 second after it, and well after
    SELECT e * 4 + 1, c, u,
        ended_at + CASE
            WHEN rnd('mpk', e) < 0.35 THEN 3600 + ri('mpt', e, 6 * {DAY})
            WHEN rnd('mpk', e) < 0.50 THEN 7 * {DAY}
            WHEN rnd('mpk', e) < 0.65 THEN 7 * {DAY} + 1
            ELSE 20 * {DAY} + ri('mpt', e, 40 * {DAY}) END,
        pick('mps', e, {_list(sources)})
    FROM _enr
    WHERE (unenroll_source IN ('REPLY', 'THREAD_REPLY') AND rnd('mpb', e) < 0.35)
       OR (state = 'FINISHED' AND rnd('mpb', e) < 0.04)
""",
    )


def _sql_meetings_of_contacts(p: _Params) -> str:
    # meetings outside any sequence (keys after every enrollment's)
    return _meeting_rows(
        p,
        f"""
    SELECT {p.sizes.enrollments * 4} + c AS _k, c AS contact_id,
        ri('mou', c, {p.users}) AS owner_user_id,
        created_at + ri('mot', c, {NOW} - created_at) AS booked_at,
        CASE WHEN rnd('mos', c) < 0.5 THEN 'MANUAL' ELSE 'CALENDAR' END AS booking_source
    FROM _contacts WHERE rnd('mct', c) < 0.02
""",
    )


_DEAL_TABLES = """
-- deals come from enrollments (chunk by chunk) and contacts; collected first
CREATE OR REPLACE TABLE _deal_src (key BIGINT, c BIGINT, u BIGINT, created_at BIGINT);
-- enrollments that may lead to a deal after two enrollments of their contact
CREATE OR REPLACE TABLE _deal_b (e BIGINT, c BIGINT, u BIGINT, enrolled_at BIGINT);
-- the first enrollment of the contacts that may have a deal before it
CREATE OR REPLACE TABLE _contact_enr (c BIGINT, first_enrolled_at BIGINT);
"""


def _deal_sources_of_enrollments(p: _Params) -> str:
    """Collect, from the current chunk of enrollments, what deals need."""
    return f"""
-- deals after a positive sequence outcome (and a few after a finished one)
INSERT INTO _deal_src
SELECT e * 4 AS key, c, u, ended_at + 3600 + ri('dat', e, 30 * {DAY}) AS created_at
FROM _enr
WHERE (state = 'UNENROLLED' AND unenroll_source IN
          ('REPLY', 'THREAD_REPLY', 'MEETING', 'ACCOUNT_REPLY', 'ACCOUNT_MEETING')
       AND rnd('dA', e) < 0.45)
   OR (state = 'FINISHED' AND rnd('dA', e) < 0.03);

INSERT INTO _deal_b
SELECT e, c, u, enrolled_at FROM _enr
WHERE e >= {p.sizes.enrolled_contacts} AND state <> 'SCHEDULED' AND rnd('dB', e) < 0.10;

INSERT INTO _contact_enr
SELECT c, min(enrolled_at) FROM _enr
WHERE state <> 'SCHEDULED' AND rnd('dC', c) < 0.03
GROUP BY c;
"""


def _deal_sources_of_contacts(p: _Params) -> str:
    """The other deal sources, once every chunk of enrollments is done.

    `_enr` holds the first enrollment (e = c) of each contact in `_deal_b`.
    """
    return f"""
-- EDGE: deals created after two enrollments of the same contact
INSERT INTO _deal_src
SELECT b.e * 4 + 1, b.c, b.u,
    greatest(b.enrolled_at, fe.enrolled_at) + 3 * {DAY} + ri('dbt', b.e, 20 * {DAY})
FROM _deal_b AS b
JOIN _enr AS fe ON fe.e = b.c
WHERE fe.state <> 'SCHEDULED';

-- EDGE: deals created before any enrollment of their contact
INSERT INTO _deal_src
SELECT c * 4 + 2, c, ri('dcu', c, {p.users}),
    ct_created(c) + 3600 + ri('dct', c, first_enrolled_at - ct_created(c) - 7200)
FROM (SELECT c, min(first_enrolled_at) AS first_enrolled_at FROM _contact_enr GROUP BY c)
WHERE first_enrolled_at - ct_created(c) > 2 * {DAY};

-- deals of marketing-sourced contacts (with touchpoints before them)
INSERT INTO _deal_src
SELECT c * 4 + 3, c, ri('ddu', c, {p.users}), ct_created(c) + 2 * {DAY} + ri('ddt', c, 60 * {DAY})
FROM range({p.sizes.contacts}) AS t(c)
WHERE ct_is_mkt(c) AND rnd('dD', c) < 0.07;
"""


def _deals(p: _Params) -> str:
    return f"""
CREATE OR REPLACE TEMP TABLE _deals AS
WITH b AS (
    SELECT
        *,
        CASE WHEN rnd('dst', key) < 0.35 THEN 'won' WHEN rnd('dst', key) < 0.60 THEN 'lost'
             ELSE 'open' END AS outcome0,
        created_at + 7 * {DAY} + ri('dcl', key, 110 * {DAY}) AS close_at
    FROM _deal_src WHERE created_at <= {NOW}
)
SELECT
    *,
    CASE WHEN close_at > {NOW} THEN 'open' ELSE outcome0 END AS outcome,
    sid('deal_', key) AS deal_id
FROM b;

-- the contacts of the companies of multi-contact deals, numbered per company
CREATE OR REPLACE TEMP TABLE _company_contacts AS
WITH wanted AS (
    SELECT DISTINCT ct_company(c) AS company_idx FROM _deals WHERE rnd('dmc', key) < 0.25
), cc AS (
    SELECT c, ct_company(c) AS company_idx FROM range({p.sizes.contacts}) AS t(c)
)
SELECT
    company_idx, c,
    row_number() OVER (PARTITION BY company_idx ORDER BY c) - 1 AS j,
    count(*) OVER (PARTITION BY company_idx) AS n
FROM cc
WHERE company_idx IN (SELECT company_idx FROM wanted);
DROP TABLE _deal_src;
DROP TABLE _deal_b;
DROP TABLE _contact_enr;
"""


def _sql_deals(p: _Params) -> str:
    stages = [
        "appointmentscheduled",
        "qualifiedtobuy",
        "presentationscheduled",
        "decisionmakerboughtin",
        "contractsent",
    ]
    products = ["Platform", "Insights add-on", "Enterprise renewal", "Sales Hub seats", "Pilot"]
    return f"""
SELECT
    d.key AS _k,
    d.deal_id,
    coalesce(CASE WHEN ct_company(d.c) IS NOT NULL THEN co_base(ct_company(d.c)) END,
             CASE WHEN rnd('cnf', d.c) < 0.02 THEN NULL ELSE ct_fn(d.c) END || ' '
                 || CASE WHEN rnd('cnl', d.c) < 0.02 THEN NULL ELSE ct_ln(d.c) END,
             'Unnamed') || ' - '
        || pick('dpr', d.key, {_list(products)}) AS deal_name,
    CASE WHEN rnd('dou', d.key) < 0.05 THEN NULL ELSE sid('usr_', d.u) END AS owner_user_id,
    CASE WHEN rnd('dpl', d.key) < 0.85 THEN 'default' ELSE 'enterprise' END AS pipeline,
    CASE d.outcome WHEN 'won' THEN 'closedwon' WHEN 'lost' THEN 'closedlost'
         ELSE pick('dsg', d.key, {_list(stages)}) END AS deal_stage,
    d.outcome <> 'open' AS is_closed,
    d.outcome = 'won' AS is_closed_won,
    -- EDGE: a closed-won deal without an amount
    CASE WHEN rnd('dam', d.key) < CASE d.outcome WHEN 'won' THEN 0.08 WHEN 'lost' THEN 0.3
                                        ELSE 0.2 END THEN NULL
         ELSE CAST((100000 + ri('dav', d.key, 7900000)) / 100 AS DECIMAL(18, 2)) END AS amount,
    d.created_at,
    CASE WHEN d.outcome <> 'open' THEN d.close_at END AS closed_at
FROM _deals AS d
"""


def _sql_deal_contacts(p: _Params) -> str:
    s = p.sizes
    return f"""
WITH links AS (
    SELECT d.key, d.deal_id, d.c FROM _deals AS d
    UNION
    -- EDGE: multi-contact deals (2-3 contacts of the same company)
    SELECT x.key, x.deal_id, cc2.c
    FROM (
        SELECT d.key, d.deal_id, cc.company_idx, ri('dmj' || t.i, d.key, cc.n) AS j
        FROM _deals AS d
        JOIN _company_contacts AS cc ON cc.c = d.c
        CROSS JOIN range(2) AS t(i)
        WHERE rnd('dmc', d.key) < 0.25 AND (t.i = 0 OR rnd('dm2', d.key) < 0.4)
    ) AS x
    JOIN _company_contacts AS cc2 ON cc2.company_idx = x.company_idx AND cc2.j = x.j
)
SELECT key * {s.contacts + 1} + c AS _k, deal_id, sid('con_', c) AS contact_id FROM links
UNION ALL
-- EDGE: an orphan link to an unknown contact
SELECT min(key) * {s.contacts + 1} + {s.contacts}, min_by(deal_id, key),
    sid('con_', {s.contacts * 3 + 7})
FROM _deals
"""


def _campaigns(p: _Params) -> str:
    rows = []
    for cp in CAMPAIGNS:
        goals = cp["goals"]
        start, end = cp["start"], cp["end"]
        rows.append(
            (
                cp["r"],
                cp["name"],
                cp["utm"],
                "{:04d}-{:02d}-{:02d}".format(*start) if start else None,  # type: ignore[misc]
                "{:04d}-{:02d}-{:02d}".format(*end) if end else None,  # type: ignore[misc]
                cp["budget"],
                goals[0],
                goals[1],
                goals[2],  # type: ignore[index]
                cp["owner"],
                cp["me_send"],
            )
        )
    pattern = _values(
        rows,
        "pt",
        [
            "r",
            "name",
            "utm",
            "start_date",
            "end_date",
            "budget",
            "goal_s",
            "goal_n",
            "goal_i",
            "owner_r",
            "me_send",
        ],
    )
    asset_rows = [
        (r, slot, typ, name, prefix, path, suffix, days)
        for (r, slot, typ, name, prefix, path, suffix, days) in _ASSETS
    ]
    assets = _values(
        asset_rows,
        "a",
        [
            "r",
            "slot",
            "asset_type",
            "asset_name",
            "prefix",
            "path",
            "suffix",
            "days",
        ],
    )
    shared = _values(_SHARED_ASSETS, "sh", ["r", "owner_r", "slot"])
    prefixes = _values(list(_ASSET_PREFIX.items()), "pf", ["asset_type", "id_prefix"])
    return f"""
CREATE OR REPLACE TABLE _campaign_pattern AS SELECT * FROM {pattern};

CREATE OR REPLACE TABLE _campaigns AS
SELECT
    c, c % 6 AS r, c // 6 AS g,
    sid('cmpn_', c) AS campaign_id,
    pt.name || CASE WHEN c >= 6 THEN ' (' || (c // 6) || ')' ELSE '' END AS name,
    pt.utm || CASE WHEN c >= 6 THEN '_' || (c // 6) ELSE '' END AS utm,
    CAST(pt.start_date AS DATE) AS start_date,
    CAST(pt.end_date AS DATE) AS end_date,
    CAST(pt.budget AS DECIMAL(18, 2)) AS budget_amount,
    pt.goal_s, pt.goal_n, pt.goal_i, pt.owner_r,
    coalesce(epoch(CAST(pt.start_date AS TIMESTAMP))::BIGINT, {START}) - 14 * {DAY}
        + ri('cpc', c, 8 * 3600) AS created_at,
    pt.me_send + ri('cms', c, 3600) AS me_send
FROM range({p.campaigns}) AS t(c)
JOIN _campaign_pattern AS pt ON pt.r = c % 6;

-- the campaigns' assets (slot s of campaign c has key c * 8 + s + 8)
CREATE OR REPLACE TABLE _assets AS
WITH own AS (
    SELECT cm.c, cm.c AS owner_c, a.*, cm.created_at + a.days * {DAY} AS associated_at
    FROM _campaigns AS cm
    JOIN {assets} ON a.r = cm.r
), shared AS (
    SELECT cm.c, cm.c - sh.r + sh.owner_r AS owner_c, a.r, a.slot, a.asset_type, a.asset_name,
        a.prefix, a.path, a.suffix, a.days, cm.created_at + {DAY} AS associated_at
    FROM _campaigns AS cm
    JOIN {shared} ON sh.r = cm.r
    JOIN {assets} ON a.r = sh.owner_r AND a.slot = sh.slot
)
SELECT
    x.*,
    x.owner_c * 8 + x.slot + 8 AS asset_key,
    pf.id_prefix || lpad(CAST(x.owner_c * 8 + x.slot + 8 AS VARCHAR), {p.width}, '0')
        AS asset_id,
    x.path || CASE WHEN x.owner_c >= 6 THEN '-' || (x.owner_c // 6) ELSE '' END AS page_path
FROM (SELECT * FROM own UNION ALL SELECT * FROM shared) AS x
JOIN {prefixes} ON pf.asset_type = x.asset_type;

-- per campaign: its own web pages and the ids of its other assets
CREATE OR REPLACE TABLE _campaign_links AS
SELECT
    cm.c, cm.r, cm.utm, cm.me_send,
    list(a.page_path ORDER BY a.slot) FILTER (WHERE a.path IS NOT NULL AND a.owner_c = cm.c)
        AS pages,
    min(a.page_path) FILTER (WHERE a.asset_type = 'LANDING_PAGE' AND a.owner_c = cm.c) AS lp_path,
    min(a.asset_id) FILTER (WHERE a.asset_type = 'FORM') AS form_id,
    min(a.asset_id) FILTER (WHERE a.asset_type = 'AD') AS ad_id,
    min(a.asset_id) FILTER (WHERE a.asset_type = 'SOCIAL_POST') AS social_id,
    min(a.asset_id) FILTER (WHERE a.asset_type = 'CTA') AS cta_id,
    min(a.asset_id) FILTER (WHERE a.asset_type = 'MARKETING_EMAIL') AS me_id
FROM _campaigns AS cm
LEFT JOIN _assets AS a ON a.c = cm.c
GROUP BY ALL;
"""


def _sql_campaigns(p: _Params) -> str:
    s = p.sizes
    return f"""
SELECT
    c AS _k, campaign_id, name,
    utm AS utm_campaign,
    CASE WHEN owner_r IS NOT NULL THEN sid('usr_', owner_r + 8 * (g % {s.user_groups})) END
        AS owner_user_id,
    start_date, end_date, budget_amount,
    goal_s AS goal_sessions, goal_n AS goal_new_contacts, goal_i AS goal_influenced_contacts,
    created_at
FROM _campaigns
"""


def _sql_campaign_assets(p: _Params) -> str:
    return """
SELECT
    a.c * 128 + (a.c - a.owner_c) * 8 + a.slot AS _k,
    cm.campaign_id, a.asset_type, a.asset_id,
    cm_owner.name || ': ' || a.asset_name AS asset_name,
    CASE WHEN a.path IS NOT NULL THEN a.prefix || a.page_path || a.suffix END AS asset_url,
    a.associated_at
FROM _assets AS a
JOIN _campaigns AS cm ON cm.c = a.c
JOIN _campaigns AS cm_owner ON cm_owner.c = a.owner_c
"""


def _sql_campaign_spend(p: _Params) -> str:
    spend_rows = [
        (cp["r"], i, ch, len(cp["spend"]))  # type: ignore[arg-type]
        for cp in CAMPAIGNS
        for i, ch in enumerate(cp["spend"])  # type: ignore[arg-type]
    ]
    spend = _values(spend_rows, "sp", ["r", "ch_idx", "channel", "n_channels"])
    return f"""
-- EDGE: spend for some campaigns only (weekly, per channel)
WITH weeks AS (
    SELECT cm.c, cm.campaign_id, cm.budget_amount, sp.ch_idx, sp.channel, sp.n_channels,
        unnest(range(epoch(CAST(cm.start_date AS TIMESTAMP))::BIGINT,
                      least(epoch(CAST(coalesce(cm.end_date, DATE '2025-06-29') AS TIMESTAMP))
                            ::BIGINT, {NOW - DAY}) + 1,
                      7 * {DAY})) AS week_at
    FROM _campaigns AS cm
    JOIN {spend} ON sp.r = cm.r
), n AS (
    SELECT *, count(*) OVER (PARTITION BY c, ch_idx) AS n_weeks FROM weeks
)
SELECT
    c * 100000 + (week_at - {START}) // {DAY} * 8 + ch_idx AS _k,
    campaign_id,
    CAST(make_timestamp(week_at * 1000000) AS DATE) AS spend_date,
    channel,
    CAST(round(budget_amount / (n_weeks * n_channels) * (0.7 + 0.6 * rnd('spa', c * 1000000
        + week_at // {DAY} * 8 + ch_idx)), 2) AS DECIMAL(18, 2)) AS amount
FROM n
"""


def _visitors_of_contacts(p: _Params) -> str:
    """The visitors of the current chunk of contacts (keys 2c and 2c + 1)."""
    return f"""
CREATE OR REPLACE TEMP TABLE _visitors AS
WITH identified AS (
    SELECT c * 2 AS vk, c, 0 AS nth, is_mkt, created_at FROM _contacts WHERE has_visitor
    UNION ALL
    SELECT c * 2 + 1, c, 1, is_mkt, created_at FROM _contacts WHERE has_second_visitor
), idv AS (
    SELECT
        vk, c, nth,
        CASE WHEN nth = 0 AND is_mkt THEN created_at  -- identified by their first form
             WHEN nth = 0 THEN created_at + {DAY} + ri('vid', vk, 90 * {DAY})
             ELSE created_at + 2 * {DAY} + ri('vid', vk, 150 * {DAY}) END AS identified_at,
        is_mkt
    FROM identified
)
-- EDGE: visitors identified after their first sessions
SELECT
    vk, c, identified_at,
    CASE WHEN nth = 0 AND is_mkt THEN identified_at - 3600 - ri('vfs', vk, 20 * {DAY})
         ELSE identified_at - 600 - ri('vfs', vk, 10 * {DAY}) END AS first_at,
    1 + CAST(floor(4 * pow(rnd('vns', vk), 1.5)) AS BIGINT) AS n_sessions
FROM idv;
"""


def _visitors_anonymous(p: _Params, lo: int, hi: int) -> str:
    """The anonymous visitors lo .. hi - 1 (keys after every contact's visitors)."""
    return f"""
-- EDGE: anonymous visitors never identified
CREATE OR REPLACE TEMP TABLE _visitors AS
SELECT
    {p.visitors_base} + a AS vk, CAST(NULL AS BIGINT) AS c, CAST(NULL AS BIGINT) AS identified_at,
    CASE WHEN a = 0 THEN {NOW - 600}
         ELSE {START} + ri('vaf', a, {NOW - START - DAY}) END AS first_at,
    CASE WHEN a = 0 THEN 1 ELSE 1 + CAST(rnd('vna', a) < 0.15 AS BIGINT) END AS n_sessions
FROM range({lo}, {hi}) AS t(a);
"""


def _sql_visitor_identities(p: _Params) -> str:
    return f"""
SELECT vk AS _k, vk AS visitor_id, c AS contact_id, identified_at
FROM _visitors WHERE c IS NOT NULL AND identified_at <= {NOW}
"""


def _web(p: _Params) -> str:
    """The sessions and page views of the current chunk of visitors."""
    s = p.sizes
    cats = [name for name, _ in SESSION_CATEGORIES]
    cat = _bucket("rnd('scat', sk)", [w for _, w in SESSION_CATEGORIES])
    anchor = p.visitors_base  # the last visit of the data: its second page view is at now
    return f"""
CREATE OR REPLACE TEMP TABLE _sessions AS
WITH b AS (
    SELECT
        v.vk * 8 + i AS sk, v.vk, v.c, v.identified_at,
        CASE WHEN i = 0 THEN v.first_at
             ELSE v.first_at + i * (3600 + ri('vgp', v.vk, 20 * {DAY}))
                  + ri('sjt', v.vk * 8 + i, 3600) END AS started_at
    FROM _visitors AS v
    JOIN range(5) AS t(i) ON t.i < v.n_sessions
), c AS (
    SELECT
        *,
        {_list(cats)}[1 + {cat}] AS cat,
        CASE WHEN rnd('scp', sk) < 0.7 THEN camp_r(started_at, rnd('scq', sk))
             ELSE ri('scr', sk, 6) END + 6 * ri('scg', sk, {s.campaign_groups}) AS camp
    FROM b
    WHERE started_at <= {NOW - 300}
), d AS (
    SELECT
        c.*, cl.utm, cl.pages, cl.lp_path, cl.ad_id, cl.social_id, cl.cta_id, cl.r AS camp_r,
        -- EDGE: mixed-case and space-padded utm values
        CASE WHEN rnd('sutc', sk) < 0.1 THEN upper(cl.utm)
             WHEN rnd('sutc', sk) < 0.14 THEN cl.utm || ' ' ELSE cl.utm END AS utm_c
    FROM c
    JOIN _campaign_links AS cl ON cl.c = c.camp
), e AS (
    SELECT
        *,
        CASE cat
            WHEN 'PAID_SEARCH' THEN pick('sss', sk, ['google', 'google', 'bing', 'Google'])
            WHEN 'PAID_SOCIAL' THEN pick('sss', sk, ['linkedin', 'facebook', 'LinkedIn', 'twitter'])
            WHEN 'EMAIL' THEN pick('sss', sk, ['hubspot', 'newsletter', 'Hs_Email'])
            WHEN 'SOCIAL_UTM' THEN pick('sss', sk, ['twitter', 'linkedin', 'x.com', 'Facebook',
                                                    'reddit'])
            WHEN 'OTHER_UTM' THEN pick('sss', sk, ['g2', 'capterra', 'partner-newsletter',
                                                   'podcast'])
        END AS utm_source,
        CASE cat
            WHEN 'PAID_SEARCH' THEN pick('ssm', sk, ['cpc', 'cpc', 'ppc', 'CPC', 'paidsearch'])
            WHEN 'PAID_SOCIAL' THEN pick('ssm', sk, ['paid_social', 'paidsocial', 'cpc'])
            WHEN 'EMAIL' THEN pick('ssm', sk, ['email', 'Email', 'newsletter', 'e-mail'])
            WHEN 'SOCIAL_UTM' THEN pick('ssm', sk, ['social', 'social-media', 'sm',
                                                    'organic_social'])
            WHEN 'OTHER_UTM' THEN pick('ssm', sk, ['review', 'display', 'affiliate', NULL])
        END AS utm_medium,
        CASE cat
            WHEN 'PAID_SEARCH' THEN coalesce(utm_c, 'brand_search')
            WHEN 'PAID_SOCIAL' THEN coalesce(utm_c, 'brand_social')
            WHEN 'EMAIL' THEN coalesce(utm_c, 'weekly-digest')
            WHEN 'SOCIAL_UTM' THEN utm_c
            WHEN 'OTHER_UTM' THEN CASE WHEN rnd('sou', sk) < 0.5 THEN utm_c END
        END AS utm_campaign,
        CASE WHEN cat = 'PAID_SEARCH' THEN pick('sst', sk, ['crm software', 'Sales Automation',
             'sequence analytics', ' email outreach tool', NULL]) END AS utm_term,
        CASE WHEN cat IN ('PAID_SEARCH', 'PAID_SOCIAL', 'EMAIL') AND rnd('ssc', sk) < 0.3
             THEN pick('ssx', sk, ['hero-cta', 'banner-a', 'footer-link']) END AS utm_content,
        CASE cat
            WHEN 'PAID_SEARCH'
                THEN CASE WHEN rnd('srf', sk) < 0.5 THEN 'https://www.google.com/' END
            WHEN 'PAID_SOCIAL'
                THEN CASE WHEN rnd('srf', sk) < 0.5 THEN 'https://www.linkedin.com/' END
            -- organic social by referrer only (no UTM)
            WHEN 'SOCIAL_REF' THEN pick('srf', sk, ['https://t.co/Ab12Cd', 'https://lnkd.in/gXyZ9',
                 'https://www.facebook.com/', 'https://m.facebook.com/story', 'https://www.reddit.com/r/sales/',
                 'https://www.youtube.com/watch?v=abc123'])
            WHEN 'ORGANIC_SEARCH' THEN pick('srf', sk, ['https://www.google.com/',
                 'https://www.google.co.uk/', 'https://www.bing.com/', 'https://duckduckgo.com/',
                 'https://search.yahoo.com/', 'https://www.ecosia.org/'])
            WHEN 'REFERRAL' THEN pick('srf', sk, ['https://www.g2.com/products/acme-gtm/reviews',
                 'https://news.ycombinator.com/item?id=4242', 'https://partner.example.org/blog/tools',
                 'https://www.microsoft.com/en-us/', 'https://medium.com/@sam/sequences'])
            -- a referrer on the site's own host: direct traffic, not a referral
            WHEN 'INTERNAL' THEN 'https://www.acme-gtm.com/blog/cold-email-tips'
        END AS referrer_url,
        CASE WHEN len(pages) > 0 AND rnd('slp', sk) < 0.35 THEN pages[1 + ri('slq', sk, len(pages))]
             ELSE pick('sls', sk, {_list(SITE_PAGES)}) END AS plain_path,
        1 + CAST(floor(4 * pow(rnd('snp', sk), 2)) AS BIGINT) AS n_pageviews
    FROM d
)
SELECT
    * EXCLUDE (camp, utm, lp_path, camp_r, utm_c, plain_path),
    CASE WHEN cat IN ('PAID_SEARCH', 'PAID_SOCIAL', 'EMAIL', 'SOCIAL_UTM', 'OTHER_UTM')
         THEN 'https://www.acme-gtm.com' || coalesce(lp_path, pages[1], '/') || '?'
              || concat_ws('&',
                  'utm_source=' || lower(trim(utm_source)),
                  'utm_medium=' || lower(trim(utm_medium)),
                  'utm_campaign=' || lower(trim(utm_campaign)),
                  'utm_term=' || replace(trim(utm_term), ' ', '+'))
         WHEN cat = 'INTERNAL' THEN 'https://www.acme-gtm.com' || plain_path
         ELSE url_variant(plain_path, sk) END AS landing_url
FROM e;

CREATE OR REPLACE TEMP TABLE _pageviews AS
SELECT
    s.sk * 8 + t.j AS pk, s.sk, s.vk, s.c, s.identified_at, s.cta_id,
    CASE WHEN t.j = 0 THEN s.landing_url
         WHEN len(s.pages) > 0 AND rnd('pvc', s.sk * 8 + t.j) < 0.45
             THEN url_variant(s.pages[1 + ri('pvp', s.sk * 8 + t.j, len(s.pages))], s.sk * 8 + t.j)
         ELSE url_variant(pick('pvs', s.sk * 8 + t.j, {_list(SITE_PAGES)}), s.sk * 8 + t.j)
    END AS url,
    s.started_at + t.j * CASE WHEN s.vk = {anchor} THEN 300 ELSE 20 + ri('pvt', s.sk, 240) END
        AS viewed_at
FROM _sessions AS s
JOIN range(5) AS t(j)
    ON t.j < CASE WHEN s.vk = {anchor} THEN 3 ELSE s.n_pageviews END;
"""


def _sql_web_sessions(p: _Params) -> str:
    # EDGE: web sessions of every source category, identified and anonymous
    return """
SELECT sk AS _k, sk AS session_id, vk AS visitor_id, started_at,
    landing_url, referrer_url, utm_source, utm_medium, utm_campaign, utm_term, utm_content
FROM _sessions
"""


def _sql_pageviews(p: _Params) -> str:
    return f"""
SELECT pk AS _k, pk AS pageview_id, sk AS session_id, vk AS visitor_id, url, viewed_at
FROM _pageviews WHERE viewed_at <= {NOW}
"""


def _sql_pageview_orphans(p: _Params) -> str:
    # EDGE: orphan page views of an unknown session (keys after every session's)
    anchor = p.visitors_base
    ghost = anchor + p.sizes.anonymous_visitors + 3
    return f"""
SELECT {ghost * 64} + o AS _k, {ghost * 64} + o AS pageview_id, {ghost * 8} AS session_id,
    {anchor} + 1 AS visitor_id,
    'https://www.acme-gtm.com/pricing' AS url, {NOW - 3 * DAY} + o * 60 AS viewed_at
FROM range(2) AS t(o)
"""


def _sql_form_submissions(p: _Params) -> str:
    """The form submissions of the current chunk of contacts and their visitors."""
    s = p.sizes
    general = f"'frm_' || lpad('{GENERAL_FORM_KEY}', {p.width}, '0')"
    return f"""
WITH first_forms AS (
    -- the submission that created a marketing-sourced contact
    SELECT ct.c * 4 AS _k, ct.c, ct.created_at AS submitted_at,
        CASE WHEN rnd('fgn', ct.c) < 0.2 THEN NULL ELSE cl.form_id END AS form_id,
        cl.lp_path, cl.pages,
        CASE WHEN rnd('fnv', ct.c) < 0.1 THEN NULL ELSE ct.c * 2 END AS visitor_id
    FROM _contacts AS ct
    JOIN _campaign_links AS cl
        ON cl.c = camp_r(ct.created_at, rnd('fcq', ct.c)) + 6 * ri('fcg', ct.c, {s.campaign_groups})
    WHERE ct.is_mkt
), later_forms AS (
    SELECT v.c * 4 + 1 + v.vk % 2, v.c,
        v.identified_at + 3600 + ri('flt', v.vk, greatest({NOW} - v.identified_at - 3600, 1)),
        cl.form_id, cl.lp_path, cl.pages, v.vk
    FROM _visitors AS v
    JOIN _campaign_links AS cl ON cl.c = ri('flc', v.vk, {p.campaigns})
    WHERE v.c IS NOT NULL AND v.identified_at < {NOW - 3600} AND rnd('flf', v.vk) < 0.15
), rows AS (SELECT * FROM first_forms UNION ALL SELECT * FROM later_forms)
SELECT
    _k, _k AS submission_id,
    coalesce(form_id, {general}) AS form_id,
    c AS contact_id,
    visitor_id,
    CASE WHEN rnd('fnp', _k) < 0.1 THEN NULL
         WHEN form_id IS NULL THEN url_variant('/contact', _k)
         ELSE url_variant(coalesce(lp_path, pages[1], '/contact'), _k) END AS page_url,
    submitted_at
FROM rows WHERE submitted_at <= {NOW}
"""


_MEMAILS = """
CREATE OR REPLACE TABLE _memails AS
SELECT row_number() OVER (ORDER BY c) - 1 AS me_idx, me_id, me_send
FROM _campaign_links WHERE me_id IS NOT NULL;
"""


def _marketing_email_events(p: _Params) -> str:
    """The marketing email events of the current chunk of contacts."""
    return f"""
-- each contact may receive up to three different marketing emails
CREATE OR REPLACE TEMP TABLE _recipients AS
WITH n AS (SELECT count(*) AS n FROM _memails)
SELECT ct.c * 4 + t.i AS rk, ct.c, me.me_id, me.me_send
FROM _contacts AS ct
CROSS JOIN range(3) AS t(i)
CROSS JOIN n
JOIN _memails AS me ON me.me_idx = (ri('mei', ct.c, n.n) + t.i * (1 + ri('mej', ct.c, 5))) % n.n
WHERE rnd('mes', ct.c * 4 + t.i) < 0.35 AND ct.created_at < me.me_send
    AND t.i * (1 + ri('mej', ct.c, 5)) < n.n;

CREATE OR REPLACE TEMP TABLE _mev AS
WITH f AS (
    SELECT
        *,
        me_send + ri('mss', rk, 600) AS sent_at,
        rnd('mdl', rk) < 0.965 AS delivered,
        rnd('mop', rk) < 0.38 AS opened,
        me_send + 600 + CAST(floor(pow(rnd('mot', rk), 2) * 3 * {DAY}) AS BIGINT) AS open_at
    FROM _recipients
)
SELECT rk * 16 AS _k, me_id, c, 'SENT' AS event_type, sent_at AS occurred_at, NULL AS is_bot
FROM f
UNION ALL
SELECT rk * 16 + 1, me_id, c, 'DELIVERED', sent_at + 5 + ri('mdt', rk, 60), NULL
FROM f WHERE delivered
UNION ALL
SELECT rk * 16 + 2, me_id, c, 'BOUNCE', sent_at + 5 + ri('mbt', rk, 60), NULL
FROM f WHERE NOT delivered
UNION ALL
SELECT rk * 16 + 3, me_id, c, 'OPEN', open_at,
    CASE WHEN rnd('mnb', rk) < 0.1 THEN NULL ELSE false END
FROM f WHERE delivered AND opened
UNION ALL
SELECT rk * 16 + 4, me_id, c, 'OPEN', open_at + 3600 + ri('mo2', rk, 5 * {DAY}), false
FROM f WHERE delivered AND opened AND rnd('mo2p', rk) < 0.3
UNION ALL
-- EDGE: bot opens and clicks of marketing email
SELECT rk * 16 + 5, me_id, c, 'OPEN', sent_at + 2 + ri('mbo', rk, 10), true
FROM f WHERE delivered AND rnd('mbop', rk) < 0.10
UNION ALL
SELECT rk * 16 + 6, me_id, c, 'CLICK', open_at + 20 + ri('mct', rk, 600),
    CASE WHEN rnd('mcb', rk) < 0.1 THEN NULL ELSE false END
FROM f WHERE delivered AND opened AND rnd('mcp', rk) < 0.25
UNION ALL
SELECT rk * 16 + 7, me_id, c, 'CLICK', sent_at + 3 + ri('mbc', rk, 10), true
FROM f WHERE delivered AND rnd('mbcp', rk) < 0.03
UNION ALL
SELECT rk * 16 + 8, me_id, c, 'UNSUBSCRIBE', open_at + 90 + ri('mut', rk, 600), NULL
FROM f WHERE delivered AND opened AND rnd('mup', rk) < 0.015;
"""


def _sql_marketing_email_events(p: _Params) -> str:
    return f"""
SELECT _k, _k AS event_id, me_id AS marketing_email_id, c AS contact_id,
    event_type, occurred_at, is_bot
FROM _mev WHERE occurred_at <= {NOW}
UNION ALL
-- EDGE: exact repeats of marketing email events
SELECT _k, _k, me_id, c, event_type, occurred_at, is_bot
FROM _mev WHERE occurred_at <= {NOW} AND rnd('mvd', _k) < 0.01
"""


def _sql_asset_clicks(p: _Params) -> str:
    return f"""
WITH clicks AS (
    SELECT sk * 16 AS _k, 'AD' AS asset_type, ad_id AS asset_id, vk, c, identified_at,
        started_at - 3 AS clicked_at
    FROM _sessions
    WHERE cat IN ('PAID_SEARCH', 'PAID_SOCIAL') AND ad_id IS NOT NULL AND rnd('cad', sk) < 0.9
    UNION ALL
    SELECT sk * 16 + 1, 'SOCIAL_POST', social_id, vk, c, identified_at, started_at - 2
    FROM _sessions
    WHERE cat IN ('SOCIAL_UTM', 'SOCIAL_REF') AND social_id IS NOT NULL AND rnd('csp', sk) < 0.6
    UNION ALL
    SELECT sk * 16 + 8 + pk % 8, 'CTA', cta_id, vk, c, identified_at,
        viewed_at + 15 + ri('cct', pk, 60)
    FROM _pageviews
    WHERE cta_id IS NOT NULL AND rnd('ccp', pk) < 0.06
), known AS (
    SELECT
        *,
        -- EDGE: contact_id null at click time (resolved later through the visitor)
        CASE WHEN identified_at <= clicked_at THEN c END AS known_c
    FROM clicks
)
SELECT
    _k, _k AS click_id, asset_type, asset_id,
    CASE WHEN known_c IS NOT NULL AND rnd('cnv', _k) < 0.1 THEN NULL
         ELSE vk END AS visitor_id,
    known_c AS contact_id,
    clicked_at
FROM known WHERE clicked_at <= {NOW}
"""


# --------------------------------------------------------------------------- #
# Output
# --------------------------------------------------------------------------- #

ENROLLMENTS_PER_CHUNK = 500_000
"""Enrollments generated at once (about 3.6 email events each)."""

CONTACTS_PER_CHUNK = 500_000
"""Contacts (or anonymous visitors) generated at once (about 7 rows of web, form and
marketing tables each)."""

KEYS_PER_CHUNK = 2_000_000
"""Keys of the simple tables (companies, templates) generated at once."""

PARQUET_ROW_GROUP = 262_144
"""Rows per Parquet row group (fewer at the end of a chunk)."""


_KEY_IDS: dict[str, dict[str, str]] = {
    "companies": {"company_id": "cmp_"},
    "contacts": {"contact_id": "con_", "company_id": "cmp_"},
    "sequence_enrollments": {
        "enrollment_id": "enr_",
        "sequence_id": "seq_",
        "contact_id": "con_",
        "enrolled_by_user_id": "usr_",
        "company_id": "cmp_",
    },
    "sequence_emails": {
        "email_id": "eml_",
        "enrollment_id": "enr_",
        "step_id": "stp_",
        "template_id": "tpl_",
        "sender_user_id": "usr_",
        "contact_id": "con_",
    },
    "email_events": {"event_id": "evt_", "email_id": "eml_"},
    "inbound_emails": {
        "inbound_email_id": "inb_",
        "contact_id": "con_",
        "in_reply_to_email_id": "eml_",
    },
    "tasks": {
        "task_id": "tsk_",
        "enrollment_id": "enr_",
        "step_id": "stp_",
        "owner_user_id": "usr_",
    },
    "meetings": {"meeting_id": "mtg_", "contact_id": "con_", "owner_user_id": "usr_"},
    "visitor_identities": {"visitor_id": "vis_", "contact_id": "con_"},
    "web_sessions": {"session_id": "ses_", "visitor_id": "vis_"},
    "pageviews": {"pageview_id": "pv_", "session_id": "ses_", "visitor_id": "vis_"},
    "form_submissions": {"submission_id": "sub_", "contact_id": "con_", "visitor_id": "vis_"},
    "marketing_email_events": {"event_id": "mev_", "contact_id": "con_"},
    "asset_clicks": {"click_id": "clk_", "visitor_id": "vis_", "contact_id": "con_"},
}
"""Id columns that a table's SELECTs give as integer keys; they are written as
``prefix`` + the zero-padded key after the rows are sorted (sorting short rows is
much cheaper than sorting their text)."""


def _render(column: Column, fmt: str, prefix: str | None = None) -> str:
    """The SELECT expression writing one contract column in ``fmt``."""
    name, salt = column.name, f"'{column.name}'"
    if prefix is not None:
        return f"sid('{prefix}', {name}) AS {name}"
    if column.type == "timestamp":
        if fmt == "csv":
            return f"ts_txt({name}, _k, {salt}) AS {name}"
        return f"to_timestamp({name}) AS {name}"
    if column.type == "boolean":
        if fmt == "csv":
            return f"bool_txt({name}, _k, {salt}) AS {name}"
        return f"CAST({name} AS BOOLEAN) AS {name}"
    if column.type in ("integer", "numeric"):
        return f"CAST({name} AS INTEGER) AS {name}"
    if column.type == "decimal":
        return f"CAST({name} AS DECIMAL(18, 2)) AS {name}"
    if column.type == "date":
        return f"CAST({name} AS DATE) AS {name}"
    if column.type == "enum":
        return f"enum_txt(CAST({name} AS VARCHAR), _k, {salt}) AS {name}"
    return f"CAST({name} AS VARCHAR) AS {name}"


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")


@dataclass
class _Part:
    """One chunk of one table, rendered: a CSV file without header, or an Arrow table."""

    rows: int
    csv: Path | None = None
    data: pa.Table | None = None


class _Sink:
    """One raw table's file, written chunk by chunk in key order.

    :meth:`render` turns a chunk (a SELECT of the table's columns plus ``_k``)
    into a part, in contract column order and sorted by ``_k``; it runs on any
    connection, in any thread. :meth:`commit` appends parts to the file strictly
    in chunk order: a CSV part is appended after the header; a Parquet part
    becomes row groups of one file, encoded by Arrow on a writer thread (one
    write per table at a time, which bounds the memory that parts wait in). The
    file is built in the work folder and moved into place by :meth:`close`.
    """

    def __init__(self, table: str, fmt: str, work: Path, writers: ThreadPoolExecutor):
        self.table, self.fmt, self.work, self.writers = table, fmt, work, writers
        ids = _KEY_IDS.get(table, {})
        self.columns = ", ".join(
            _render(column, fmt, ids.get(column.name)) for column in RAW_CONTRACT[table]
        )
        # dictionary encoding for the columns with few values (not ids, times, numbers)
        self.dictionary = [
            c.name
            for c in RAW_CONTRACT[table]
            if c.type in ("text", "enum") and not c.name.endswith("_id")
        ]
        self.path = work / f"{table}.{fmt}"
        self.rows = 0
        self.parts = itertools.count()
        self.writer: pq.ParquetWriter | None = None
        self.pending: Future[None] | None = None
        if fmt == "csv":
            # the header as DuckDB writes it (plain names, unquoted)
            self.path.write_text(",".join(RAW_TABLES[table]) + "\n")

    def render(self, con: duckdb.DuckDBPyConnection, sql: str) -> _Part:
        # sorted before ids and text are rendered: the sort moves fewer bytes
        query = f"SELECT {self.columns} FROM (FROM ({sql}) ORDER BY _k) AS _chunk"
        if self.fmt == "csv":
            path = self.work / "parts" / f"{self.table}.{next(self.parts)}.csv"
            result = con.execute(
                f"COPY ({query}) TO '{_quote(path)}' (FORMAT csv, HEADER false)"
            ).fetchall()
            return _Part(int(result[0][0]), csv=path)
        # DuckDB splits the Arrow table differently with other thread counts; the
        # Parquet bytes do not change with that (a test compares 1 and 2 threads)
        data = con.sql(query).to_arrow_table(PARQUET_ROW_GROUP)
        return _Part(data.num_rows, data=data)

    def commit(self, part: _Part) -> None:
        self.rows += part.rows
        if part.csv is not None:
            with self.path.open("ab") as out, part.csv.open("rb") as data:
                shutil.copyfileobj(data, out, 1 << 22)
            part.csv.unlink()
            return
        data = part.data
        assert data is not None
        if self.writer is None:
            self.writer = pq.ParquetWriter(
                self.path, data.schema, compression="zstd", use_dictionary=self.dictionary
            )
        writer = self.writer
        self.wait()
        self.pending = self.writers.submit(lambda: writer.write_table(data, PARQUET_ROW_GROUP))

    def wait(self) -> None:
        pending, self.pending = self.pending, None
        if pending is not None:
            pending.result()

    def close(self, final: Path) -> int:
        """Move the finished file to ``final``; return its row count."""
        self.wait()
        if self.writer is not None:
            self.writer.close()
            self.writer = None
        os.replace(self.path, final)
        return self.rows

    def discard(self) -> None:
        """Release the file after a failure (the work folder is deleted anyway)."""
        with contextlib.suppress(Exception):
            self.wait()
        writer, self.writer = self.writer, None
        if writer is not None:
            with contextlib.suppress(Exception):
                writer.close()


def _chunks(count: int, size: int) -> Iterator[tuple[int, int]]:
    """Key ranges [lo, hi) covering 0 .. count - 1, in order."""
    for lo in range(0, count, size):
        yield lo, min(count, lo + size)


def _run(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    for statement in con.extract_statements(sql):
        con.execute(statement).fetchall()


_DROP_CHUNK_TABLES = " ".join(
    f"DROP TABLE IF EXISTS temp.{table};"
    for table in (
        "_enr _tasks _emails _ev _contacts _visitors _sessions _pageviews _recipients _mev".split()
    )
)
"""Frees a connection's previous chunk before it builds the next."""

_Task = Callable[[duckdb.DuckDBPyConnection], list[tuple[str, str]]]
"""Builds one chunk's temp tables on a connection; returns (table, SELECT) to render there."""


class _Pipeline:
    """Chunks built on several connections at once, committed in submission order.

    Each connection has its own temp tables (the chunk tables); the macros and
    the shared tables live in the database. A chunk's parts are rendered on its
    connection and committed to the sinks only after every earlier chunk's, so
    the files are the same whatever finishes first.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, sinks: dict[str, _Sink], workers: int):
        self.sinks = sinks
        self.idle: queue.SimpleQueue[duckdb.DuckDBPyConnection] = queue.SimpleQueue()
        self.cursors = []
        for _ in range(workers):
            cursor = con.cursor()
            cursor.execute("SET TimeZone = 'UTC'")
            cursor.execute("SET enable_progress_bar = false")
            self.cursors.append(cursor)
            self.idle.put(cursor)
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="gtm-chunk")
        self.running: deque[Future[list[tuple[str, _Part]]]] = deque()
        self.workers = workers

    def _work(self, task: _Task) -> list[tuple[str, _Part]]:
        con = self.idle.get()
        try:
            return [(table, self.sinks[table].render(con, sql)) for table, sql in task(con)]
        finally:
            self.idle.put(con)

    def submit(self, task: _Task) -> None:
        # one more than the workers waits its turn, so that committing a finished
        # chunk never leaves a connection idle
        while len(self.running) > self.workers:
            self._commit_oldest()
        self.running.append(self.pool.submit(self._work, task))

    def _commit_oldest(self) -> None:
        for table, part in self.running.popleft().result():
            self.sinks[table].commit(part)

    def finish(self) -> None:
        while self.running:
            self._commit_oldest()

    def close(self) -> None:
        for future in self.running:
            future.cancel()
        self.pool.shutdown(wait=True)
        for cursor in self.cursors:
            cursor.close()


def _generate(
    con: duckdb.DuckDBPyConnection, p: _Params, sinks: dict[str, _Sink], workers: int
) -> None:
    """Build every table, chunk by chunk, into ``sinks``."""
    s = p.sizes
    _run(con, _macros(p))
    _run(con, _sequences(p))
    _run(con, _steps(p))
    _run(con, _campaigns(p))
    _run(con, _MEMAILS)
    _run(con, _DEAL_TABLES)

    def small(table: str, sql: str) -> _Task:
        return lambda con: [(table, sql)]

    def enrollments(lo: int, hi: int) -> _Task:
        # enrollments and everything that follows from one: steps, tasks, emails,
        # their events, replies, meetings; what deals need is collected on the way
        def task(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
            _run(con, _DROP_CHUNK_TABLES)
            _run(con, _enrollments(p, f"range({lo}, {hi})"))
            _run(con, _executions(p))
            _run(con, _email_events(p))
            _run(con, _deal_sources_of_enrollments(p))
            return [
                ("sequence_enrollments", _sql_sequence_enrollments(p)),
                ("tasks", _sql_tasks(p)),
                ("sequence_emails", _sql_sequence_emails(p)),
                ("email_events", _sql_email_events(p)),
                ("inbound_emails", _sql_inbound_emails_of_enrollments(p)),
                ("meetings", _sql_meetings_of_enrollments(p)),
            ]

        return task

    def contacts(lo: int, hi: int) -> _Task:
        # contacts and everything that follows from one: visitors, sessions, page
        # views, clicks, forms, marketing email, and replies and meetings outside
        # any sequence (their keys come after every enrollment's)
        def task(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
            _run(con, _DROP_CHUNK_TABLES)
            _run(con, _contacts(p, lo, hi))
            _run(con, _visitors_of_contacts(p))
            _run(con, _web(p))
            _run(con, _marketing_email_events(p))
            return [
                ("contacts", _sql_contacts(p)),
                ("visitor_identities", _sql_visitor_identities(p)),
                ("web_sessions", _sql_web_sessions(p)),
                ("pageviews", _sql_pageviews(p)),
                ("asset_clicks", _sql_asset_clicks(p)),
                ("form_submissions", _sql_form_submissions(p)),
                ("marketing_email_events", _sql_marketing_email_events(p)),
                ("inbound_emails", _sql_inbound_emails_of_contacts(p)),
                ("meetings", _sql_meetings_of_contacts(p)),
            ]

        return task

    def anonymous(lo: int, hi: int) -> _Task:
        # anonymous visitors (keys after every contact's visitors)
        def task(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
            _run(con, _DROP_CHUNK_TABLES)
            _run(con, _visitors_anonymous(p, lo, hi))
            _run(con, _web(p))
            return [
                ("web_sessions", _sql_web_sessions(p)),
                ("pageviews", _sql_pageviews(p)),
                ("asset_clicks", _sql_asset_clicks(p)),
            ]

        return task

    pipeline = _Pipeline(con, sinks, workers)
    try:
        pipeline.submit(small("users", _sql_users(p)))
        for lo, hi in _chunks(s.companies, KEYS_PER_CHUNK):
            pipeline.submit(small("companies", _sql_companies(p, lo, hi)))
        for lo, hi in _chunks(s.templates, KEYS_PER_CHUNK):
            pipeline.submit(small("email_templates", _sql_email_templates(p, lo, hi)))
        for table, sql in (
            ("sequences", _sql_sequences(p)),
            ("sequence_steps", _sql_sequence_steps(p)),
            ("campaigns", _sql_campaigns(p)),
            ("campaign_assets", _sql_campaign_assets(p)),
            ("campaign_spend", _sql_campaign_spend(p)),
        ):
            pipeline.submit(small(table, sql))
        for lo, hi in _chunks(s.enrollments, ENROLLMENTS_PER_CHUNK):
            pipeline.submit(enrollments(lo, hi))
        pipeline.submit(small("email_events", _sql_email_event_orphans(p)))
        for lo, hi in _chunks(s.contacts, CONTACTS_PER_CHUNK):
            pipeline.submit(contacts(lo, hi))
        for lo, hi in _chunks(s.anonymous_visitors, CONTACTS_PER_CHUNK):
            pipeline.submit(anonymous(lo, hi))
        pipeline.submit(small("pageviews", _sql_pageview_orphans(p)))
        pipeline.finish()
    finally:
        pipeline.close()

    # deals, once every enrollment is done: the first enrollments of contacts
    # enrolled twice, then the deals of contacts
    _run(con, _enrollments(p, "(SELECT DISTINCT c FROM _deal_b)"))
    _run(con, _deal_sources_of_contacts(p))
    _run(con, "DROP TABLE _enr")
    _run(con, _deals(p))
    for table, sql in (("deals", _sql_deals(p)), ("deal_contacts", _sql_deal_contacts(p))):
        sinks[table].commit(sinks[table].render(con, sql))


def generate(
    out_dir: Path,
    *,
    seed: int = 42,
    scale: float | None = None,
    fmt: str = "csv",
    threads: int | None = None,
    memory_limit: str = "4GB",
) -> dict[str, int]:
    """Write one file per raw table, <table>.csv or <table>.parquet, into out_dir (created if
    needed); return row counts per table.

    ``scale=None`` writes the demo data (about 40 thousand rows); ``scale=N`` about N million
    ``email_events`` rows with every other table in proportion. The same ``seed`` (and scale)
    always writes byte-identical files, whatever ``threads`` (DuckDB's threads; default: all
    cores), and the CSV and Parquet outputs of one seed hold the same data. The big tables are
    built in chunks of keys, a few chunks at a time, so memory stays bounded
    (``memory_limit`` is DuckDB's; beyond it, DuckDB spills to a work folder inside out_dir).
    """
    if fmt not in ("csv", "parquet"):
        raise ValueError(f"fmt must be 'csv' or 'parquet', got {fmt!r}")
    params = _Params(seed=int(seed), sizes=sizes_for(scale))
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    # chunks built at once: on few cores one (DuckDB already uses every core, and
    # a second chunk only adds contention), on many cores up to four
    workers = max(1, min(4, (threads or os.cpu_count() or 1) // 4))
    counts: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix=".gtm-generate-", dir=out_dir) as work_dir:
        work = Path(work_dir)
        (work / "parts").mkdir()
        con = duckdb.connect(":memory:")
        writers = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="gtm-parquet")
        sinks: dict[str, _Sink] = {}
        try:
            con.execute("SET TimeZone = 'UTC'")
            con.execute("SET enable_progress_bar = false")
            # every file is written with ORDER BY; no other order matters
            con.execute("SET preserve_insertion_order = false")
            con.execute(f"SET temp_directory = '{_quote(work / 'spill')}'")
            con.execute(f"SET memory_limit = '{memory_limit}'")
            if threads is not None:
                con.execute(f"SET threads = {int(threads)}")
            sinks = {table: _Sink(table, fmt, work, writers) for table in RAW_CONTRACT}
            _generate(con, params, sinks, workers)
            for table, sink in sinks.items():
                counts[table] = sink.close(out_dir / f"{table}.{fmt}")
        finally:
            for sink in sinks.values():
                sink.discard()
            writers.shutdown(wait=True)
            con.close()
    return counts
