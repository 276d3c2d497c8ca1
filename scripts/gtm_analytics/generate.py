"""Deterministic synthetic raw data in the raw contract (``raw_contract.md``).

Everything is built inside DuckDB, vectorised: each table starts from
``range()`` over a row key (or from an earlier table), and every random
choice is ``rnd(salt, key)``, a hash of (salt, row key, seed) mapped to
``[0, 1)``. No wall clock, no ``random()``, no Python row loops; every file is
written with ``COPY ... ORDER BY``, so one seed always gives byte-identical
files, and the CSV and Parquet outputs of a seed hold the same data.

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

import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from .raw_tables import RAW_CONTRACT, Column

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


def _cumulative(weights: Sequence[float]) -> str:
    """Bucket thresholds for ``wpick``: the running sums, without the last."""
    total, out = 0.0, []
    for w in weights[:-1]:
        total += w
        out.append(round(total, 6))
    return _list(out)


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
# Table builders, in dependency order. Tables named `_x` are internal; each
# `out_<table>` holds one raw table's columns plus `_k`, its output order.
# --------------------------------------------------------------------------- #


def _macros(p: _Params) -> str:
    seed = int(p.seed)
    return f"""
-- rnd: a uniform number in [0, 1) from (salt, key, seed); never random()
CREATE OR REPLACE TEMP MACRO rnd(salt, k) AS
    ((hash(salt, CAST(k AS BIGINT), {seed}::BIGINT) >> 11)::DOUBLE / 9007199254740992.0);
CREATE OR REPLACE TEMP MACRO ri(salt, k, n) AS CAST(floor(rnd(salt, k) * (n)) AS BIGINT);
CREATE OR REPLACE TEMP MACRO pick(salt, k, xs) AS xs[1 + ri(salt, k, len(xs))];
-- wpick: bucket index (0-based) of x for cumulative thresholds
CREATE OR REPLACE TEMP MACRO wpick(x, cum) AS len(list_filter(cum, lambda t: t <= x));
CREATE OR REPLACE TEMP MACRO sid(prefix, k) AS prefix || lpad(CAST(k AS VARCHAR), {p.width}, '0');
-- when the k-th executed step of an enrollment ran (k = 1 right after enrolment)
CREATE OR REPLACE TEMP MACRO step_t(enrolled, cds, k, off) AS
    enrolled + cds[k] * {DAY} + CASE WHEN k = 1 THEN 300 ELSE off END;
-- which campaign pattern a visit at time t most likely belongs to
CREATE OR REPLACE TEMP MACRO camp_r(t, x) AS CASE
    WHEN t >= {_epoch(2025, 5, 1)} AND t < {_epoch(2025, 6, 16)} AND x < 0.5 THEN 4
    WHEN t >= {_epoch(2025, 3, 1)} AND t < {_epoch(2025, 6, 1)} THEN 0
    WHEN t >= {_epoch(2024, 11, 20)} AND t < {_epoch(2024, 12, 3)} AND x < 0.6 THEN 2
    WHEN t >= {_epoch(2024, 10, 1)} AND t < {_epoch(2025, 1, 1)} THEN 1
    WHEN t >= {_epoch(2024, 4, 1)} THEN 3
    ELSE 5 END;
-- a page URL as a browser may report it (host case, www., query, fragment, slash)
CREATE OR REPLACE TEMP MACRO url_variant(path, k) AS
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
CREATE OR REPLACE TEMP MACRO ts_txt(x, k, salt) AS CASE
    WHEN x IS NULL THEN NULL
    WHEN rnd(salt, k) < 0.80 THEN strftime(make_timestamp(x * 1000000), '%Y-%m-%dT%H:%M:%SZ')
    WHEN rnd(salt, k) < 0.88
        THEN strftime(make_timestamp((x + 3600) * 1000000), '%Y-%m-%d %H:%M:%S') || '+01:00'
    WHEN rnd(salt, k) < 0.93
        THEN strftime(make_timestamp((x - 18000) * 1000000), '%Y-%m-%dT%H:%M:%S') || '-05:00'
    ELSE strftime(make_timestamp(x * 1000000), '%Y-%m-%d %H:%M:%S') END;
CREATE OR REPLACE TEMP MACRO bool_txt(b, k, salt) AS CASE
    WHEN b IS NULL THEN NULL
    WHEN rnd(salt, k) < 0.94 THEN CASE WHEN b THEN 'true' ELSE 'false' END
    WHEN rnd(salt, k) < 0.96 THEN CASE WHEN b THEN '1' ELSE '0' END
    WHEN rnd(salt, k) < 0.98 THEN CASE WHEN b THEN 'T' ELSE 'F' END
    ELSE CASE WHEN b THEN 'True' ELSE 'False' END END;
-- EDGE: enum values mostly upper case, a few lower-case or space-padded
CREATE OR REPLACE TEMP MACRO enum_txt(x, k, salt) AS CASE
    WHEN x IS NULL THEN NULL
    WHEN rnd(salt, k) < 0.97 THEN x
    WHEN rnd(salt, k) < 0.985 THEN lower(x)
    WHEN rnd(salt, k) < 0.995 THEN ' ' || lower(x)
    ELSE x || ' ' END;
"""


def _users(p: _Params) -> str:
    # EDGE: one user of each group has no team, one is inactive.
    return f"""
CREATE TEMP TABLE out_users AS
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
FROM named;
"""


def _companies(p: _Params) -> str:
    return f"""
CREATE TEMP TABLE _companies AS
SELECT
    c,
    sid('cmp_', c) AS company_id,
    pick('cw1', c, {_list(COMPANY_WORDS_1)}) || ' ' || pick('cw2', c, {_list(COMPANY_WORDS_2)})
        AS base_name,
    {START} - 200 * {DAY} + ri('ccr', c, 520 * {DAY}) AS created_at
FROM range({p.sizes.companies}) AS t(c);

CREATE TEMP TABLE out_companies AS
SELECT
    c AS _k,
    company_id,
    base_name || ' ' || pick('csf', c, {_list(COMPANY_SUFFIXES)}) AS name,
    CASE WHEN rnd('cdn', c) < 0.05 THEN NULL
         ELSE lower(replace(base_name, ' ', '-')) || '-' || c || '.com' END AS domain,
    pick('cin', c, {_list(INDUSTRIES)}) AS industry,
    created_at
FROM _companies;
"""


def _contacts(p: _Params) -> str:
    s = p.sizes
    return f"""
CREATE TEMP TABLE _contacts AS
WITH base AS (
    SELECT
        i AS c,
        CASE WHEN rnd('ccn', i) < 0.07 THEN NULL ELSE ri('cco', i, {s.companies}) END
            AS company_idx,
        -- marketing-sourced contacts are created by their first form submission,
        -- after earlier anonymous visits (EDGE: contacts created after touchpoints)
        rnd('csrc', i) < 0.32 AS is_mkt,
        -- contacts of the pinned enrollments (0 .. 200) are old enough to have finished
        CASE WHEN i < 201 THEN {START} + ri('cca', i, 300 * {DAY})
             ELSE {START} + ri('cca', i, {NOW - 12 * DAY - START}) END AS created_at
    FROM range({s.contacts}) AS t(i)
)
SELECT
    *,
    sid('con_', c) AS contact_id,
    is_mkt OR rnd('chv', c) < 0.25 AS has_visitor,
    -- EDGE: contacts with two visitors (two devices)
    (is_mkt OR rnd('chv', c) < 0.25) AND rnd('c2v', c) < 0.08 AS has_second_visitor
FROM base;

CREATE TEMP TABLE _company_contacts AS
SELECT
    company_idx, c,
    row_number() OVER (PARTITION BY company_idx ORDER BY c) - 1 AS j,
    count(*) OVER (PARTITION BY company_idx) AS n
FROM _contacts
WHERE company_idx IS NOT NULL;

CREATE TEMP TABLE out_contacts AS
WITH named AS (
    SELECT ct.*, co.company_id, co.base_name,
        pick('cfn', ct.c, {_list(FIRST_NAMES)}) AS fn,
        pick('cln', ct.c, {_list(LAST_NAMES)}) AS ln
    FROM _contacts AS ct
    LEFT JOIN _companies AS co ON co.c = ct.company_idx
)
SELECT
    c AS _k,
    contact_id,
    CASE WHEN rnd('cem', c) < 0.03 THEN NULL
         ELSE lower(fn) || '.' || lower(ln) || c || '@'
              || coalesce(lower(replace(base_name, ' ', '')) || '.example', 'mail.example')
    END AS email,
    CASE WHEN rnd('cnf', c) < 0.02 THEN NULL ELSE fn END AS first_name,
    CASE WHEN rnd('cnl', c) < 0.02 THEN NULL ELSE ln END AS last_name,
    company_id,
    pick('cls', c, {_list(LIFECYCLE_STAGES)}) AS lifecycle_stage,
    created_at,
    created_at + ri('cup', c, {NOW} - created_at) AS updated_at
FROM named;
"""


def _templates(p: _Params) -> str:
    return f"""
CREATE TEMP TABLE out_email_templates AS
SELECT
    t AS _k,
    sid('tpl_', t) AS template_id,
    pick('ttp', t, {_list(TEMPLATE_TOPICS)}) || ' #' || (t + 1) AS name,
    pick('tsb', t, {_list(TEMPLATE_SUBJECTS)}) AS subject,
    {START} - 150 * {DAY} + ri('tcr', t, 60 * {DAY}) AS created_at
FROM range({p.sizes.templates}) AS t(t);
"""


def _sequences(p: _Params) -> str:
    created = [
        _epoch(2025, 1, 15) if r == SEQUENCE_NEW else START - 90 * DAY + r * 5 * DAY
        for r in range(12)
    ]
    changed = [SEQUENCE_CHANGED_AT.get(r) for r in range(12)]
    return f"""
CREATE TEMP TABLE _seq AS
SELECT
    s, s % 12 AS r, s // 12 AS g,
    sid('seq_', s) AS sequence_id,
    {_list(created)}[1 + s % 12] + (s // 12) * 600 + ri('sqc', s, 3600) AS created_at,
    {_list(changed)}[1 + s % 12] AS change_at,
    -- EDGE: a deleted sequence (its running enrollments end SEQUENCE_DELETED)
    CASE WHEN s % 12 = {SEQUENCE_DELETED} THEN {SEQUENCE_DELETED_AT} END AS del_at
FROM range({p.sequences}) AS t(s);

CREATE TEMP TABLE out_sequences AS
SELECT
    s AS _k,
    sequence_id,
    {_list(SEQUENCE_NAMES)}[1 + r] || CASE WHEN g > 0 THEN ' #' || g ELSE '' END AS name,
    {_list(SEQUENCE_FOLDERS)}[1 + r] AS folder_name,
    sid('usr_', (r * 3) % 8 + 8 * (g % {p.sizes.user_groups})) AS owner_user_id,
    created_at,
    del_at IS NOT NULL AS is_deleted
FROM _seq;
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
CREATE TEMP TABLE _steps AS
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

CREATE TEMP TABLE out_sequence_steps AS
SELECT
    step_key AS _k,
    step_id, sequence_id, step_order, action_type,
    sid('tpl_', tpl) AS template_id,
    delay_days,
    role = 'deleted' AS is_deleted,
    created_at
FROM _steps;

-- the steps an enrollment runs, by version: version 0 before the sequence's
-- change (with the since-deleted step), version 1 after it
CREATE TEMP TABLE _vsteps AS
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

CREATE TEMP TABLE _vinfo AS
SELECT
    s, v, count(*) AS n_steps,
    list(CAST(cd AS BIGINT) ORDER BY k) AS cds,
    list(step_order ORDER BY k) AS orders,
    list(k ORDER BY k) FILTER (WHERE action_type = '{A}') AS auto_ks
FROM _vsteps
GROUP BY s, v;
"""


def _enrollments(p: _Params) -> str:
    s = p.sizes
    pinned = min(201, s.enrolled_contacts, s.enrollments)
    return f"""
CREATE TEMP TABLE _enr1 AS
WITH base AS (
    SELECT
        e,
        -- most contacts have one enrollment, some several
        CASE WHEN e < {s.enrolled_contacts} THEN e
             ELSE ri('ecn', e, {s.enrolled_contacts}) END AS c,
        wpick(rnd('eur', e), {_cumulative(USER_WEIGHTS)})
            + 8 * ri('eug', e, {s.user_groups}) AS u0,
        wpick(rnd('esr', e), {_cumulative(SEQUENCE_WEIGHTS)})
            + 12 * ri('esg', e, {s.sequence_groups}) AS s0
    FROM range({s.enrollments}) AS t(e)
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
)
SELECT
    pn.e, pn.c, pn.u, pn.is_pinned,
    -- the deleted sequence only enrolled contacts that existed well before deletion
    CASE WHEN sq.del_at IS NOT NULL AND ct.created_at > sq.del_at - 30 * {DAY}
         THEN pn.s1 - 1 ELSE pn.s1 END AS s,
    ct.created_at AS contact_created_at,
    ct.company_idx AS contact_company_idx
FROM pinned AS pn
JOIN _contacts AS ct ON ct.c = pn.c
JOIN _seq AS sq ON sq.s = pn.s1;

CREATE TEMP TABLE _enr2 AS
WITH b AS (
    SELECT
        e1.*, sq.created_at AS seq_created_at, sq.change_at, sq.del_at,
        -- EDGE: scheduled enrollments start after now
        (NOT e1.is_pinned AND sq.del_at IS NULL AND rnd('esch', e1.e) < 0.03) AS is_sched,
        greatest(e1.contact_created_at, sq.created_at) + 3600 AS lo,
        CASE WHEN e1.is_pinned THEN {NOW - 90 * DAY}
             WHEN sq.del_at IS NOT NULL THEN sq.del_at - 2 * {DAY}
             ELSE {NOW - 1800} END AS hi
    FROM _enr1 AS e1
    JOIN _seq AS sq ON sq.s = e1.s
)
SELECT
    *,
    CASE WHEN is_sched THEN {NOW} + 3600 + ri('esd', e, 14 * {DAY})
         -- a few enrolled in the last days (some have not run their first step yet)
         WHEN NOT is_pinned AND del_at IS NULL AND rnd('erec', e) < 0.02
             THEN {NOW - 1800} - ri('ead', e, 3 * {DAY})
         ELSE lo + ri('ead', e, greatest(hi - lo, 1)) END AS enrolled_at
FROM b;

CREATE TEMP TABLE _enr AS
WITH a AS (
    SELECT
        e2.*,
        CASE WHEN e2.change_at IS NOT NULL AND e2.enrolled_at >= e2.change_at THEN 1 ELSE 0 END
            AS v
    FROM _enr2 AS e2
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
        len(list_filter(range(1, n_steps + 1),
            lambda k: step_t(enrolled_at, cds, k, off) <= coalesce(del_at, {NOW}))) AS n_due
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
    sid('enr_', e) AS enrollment_id,
    sid('con_', c) AS contact_id,
    sid('usr_', u) AS user_id,
    CASE WHEN n_exec > 0 THEN orders[n_exec] END AS current_step_order,
    CASE state
        WHEN 'SCHEDULED' THEN {NOW} - 60 - ri('eupd', e, 2 * {DAY})
        WHEN 'PAUSED' THEN least({NOW}, t_stop + 60)
        WHEN 'EXECUTING' THEN CASE WHEN n_exec > 0
            THEN least({NOW}, step_t(enrolled_at, cds, n_exec, off) + 5) ELSE enrolled_at + 1 END
        ELSE least({NOW}, ended_at + ri('eupd', e, 120)) END AS updated_at
FROM i;

CREATE TEMP TABLE out_sequence_enrollments AS
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
        CASE WHEN rnd('eco', e) < 0.10 THEN sid('cmp_',
                 (coalesce(contact_company_idx, 0) + 1 + ri('ecx', e, {max(1, s.companies - 1)}))
                 % {s.companies})
             WHEN rnd('eco', e) < 0.14 AND contact_company_idx IS NOT NULL
                 THEN sid('cmp_', contact_company_idx) END AS company_id
    FROM canonical
)
SELECT
    e * 2 + pos AS _k, enrollment_id, sid('seq_', s) AS sequence_id, contact_id,
    user_id AS enrolled_by_user_id, company_id, enrolled_at,
    state AS enrollment_state, current_step_order, ended_at, unenroll_source, error_type,
    updated_at
FROM company
UNION ALL
-- EDGE: an older copy of the same enrollment (at-least-once delivery) with an
-- earlier state; the latest updated_at must win (the copy is sometimes last)
SELECT
    e * 2 + 1 - pos AS _k, enrollment_id, sid('seq_', s), contact_id, user_id, company_id,
    enrolled_at,
    CASE WHEN state = 'EXECUTING' THEN 'PAUSED' ELSE 'EXECUTING' END,
    current_step_order, NULL, NULL, NULL,
    CASE WHEN state = 'EXECUTING' THEN updated_at - 4
         ELSE step_t(enrolled_at, cds, n_exec, off) + 5 END
FROM company
WHERE has_dup AND n_exec > 0;
"""


def _executions(p: _Params) -> str:
    return f"""
-- every executed step of every enrollment
CREATE TEMP TABLE _enr_steps AS
SELECT
    en.e, en.e * 8 + vs.k AS key, vs.k, vs.step_id, vs.action_type, vs.tpl,
    en.enrollment_id, en.contact_id, en.user_id,
    step_t(en.enrolled_at, en.cds, vs.k, en.off) AS t
FROM _enr AS en
JOIN _vsteps AS vs ON vs.s = en.s AND vs.v = en.v AND vs.k <= en.n_exec;

CREATE TEMP TABLE _tasks AS
WITH b AS (
    SELECT
        *,
        CASE WHEN rnd('tst', key) < 0.62 THEN 'COMPLETED'
             WHEN rnd('tst', key) < 0.74 THEN 'SKIPPED' ELSE 'NOT_STARTED' END AS status0,
        t + 600 + ri('tdn', key, 20 * 3600) AS done_at
    FROM _enr_steps
    WHERE action_type <> '{A}'
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

CREATE TEMP TABLE out_tasks AS
SELECT
    key AS _k,
    sid('tsk_', key) AS task_id, enrollment_id, step_id,
    CASE action_type WHEN '{M}' THEN 'EMAIL' WHEN '{C}' THEN 'CALL'
         WHEN '{L}' THEN 'LINKEDIN' ELSE 'TODO' END AS task_type,
    user_id AS owner_user_id,
    t AS created_at,
    CASE WHEN rnd('tdu', key) < 0.08 THEN NULL ELSE t + {DAY} END AS due_at,
    completed_at, status
FROM _tasks;

-- emails: automated steps, and email tasks once completed
CREATE TEMP TABLE _emails AS
SELECT
    es.*, sid('eml_', es.key) AS email_id,
    coalesce(tk.completed_at, es.t) AS sent_at,
    -- EDGE: the template changed since (another template), or none on a task email
    CASE WHEN rnd('etp', es.key) < 0.06
             THEN (es.tpl + 1 + ri('etx', es.key, {max(1, p.sizes.templates - 1)}))
                  % {p.sizes.templates}
         WHEN es.action_type = '{M}' AND rnd('etp', es.key) < 0.12 THEN NULL
         ELSE es.tpl END AS tpl_used,
    en.outcome, en.state, en.stopped, en.stop_k, en.reply_k, en.t_stop, en.eng,
    en.is_late_reply
FROM _enr_steps AS es
JOIN _enr AS en ON en.e = es.e
LEFT JOIN _tasks AS tk ON tk.key = es.key
WHERE es.action_type = '{A}' OR (es.action_type = '{M}' AND tk.completed_at IS NOT NULL);

CREATE TEMP TABLE out_sequence_emails AS
SELECT
    key AS _k, email_id, enrollment_id, step_id, sid('tpl_', tpl_used) AS template_id,
    user_id AS sender_user_id, contact_id, sent_at
FROM _emails;
"""


def _email_events(p: _Params) -> str:
    orphan = p.sizes.enrollments * 8 + 5  # an email key that no enrollment has
    return f"""
CREATE TEMP TABLE _email_flags AS
WITH b AS (
    SELECT
        *,
        outcome = 'BOUNCE' AND stopped AND k = stop_k AS is_bounce_email,
        outcome = 'UNSUB' AND stopped AND k = stop_k AS is_unsub_email,
        outcome = 'REPLY' AND stopped AND k = reply_k AS is_reply_email
    FROM _emails
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
)
SELECT
    *,
    delivered AND (unsub_event OR is_reply_email OR rnd('op', key) < 0.05 + 0.36 * eng) AS opened,
    CASE WHEN rnd('osk', key) < 0.005 THEN sent_at - 30 - ri('osx', key, 60)
         ELSE sent_at + 300 + CAST(floor(pow(rnd('ot1', key), 2) * 3 * {DAY}) AS BIGINT) END
        AS open1_at,
    rnd('on2', key) < 0.4 AS has_open2,
    rnd('on3', key) < 0.35 AS has_open3
FROM d;

CREATE TEMP TABLE _ev AS
WITH f AS (
    SELECT
        *,
        open1_at + 600 + ri('o2t', key, 2 * {DAY}) AS open2_at,
        (opened AND rnd('ck', key) < 0.22)
            -- EDGE: a click without any open
            OR (delivered AND NOT opened AND rnd('cno', key) < 0.01) AS clicked,
        CASE WHEN opened THEN open1_at ELSE sent_at + 600 END + 10 + ri('c1t', key, 900)
            AS click1_at
    FROM _email_flags
)
SELECT key * 16 + 0 AS _k, email_id, 'DELIVERED' AS event_type,
    -- EDGE: clock skew, delivered before sent
    CASE WHEN rnd('dsk', key) < 0.015 THEN sent_at - 5 - ri('dsx', key, 300)
         ELSE sent_at + 2 + ri('ddt', key, 30) END AS occurred_at,
    NULL AS url, NULL AS bounce_type,
    CASE WHEN rnd('dbn', key) < 0.5 THEN NULL ELSE false END AS is_bot
FROM f WHERE delivered
UNION ALL
-- EDGE: bounces of both types
SELECT key * 16 + 1, email_id, 'BOUNCE', sent_at + 20 + ri('bot', key, 10), NULL,
    CASE WHEN rnd('btp', key) < 0.7 THEN 'HARD' ELSE 'SOFT' END, NULL
FROM f WHERE bounce_event
UNION ALL
SELECT key * 16 + 1, email_id, 'BOUNCE', sent_at + 60 + ri('bot', key, 600), NULL, 'SOFT', NULL
FROM f WHERE soft_only
UNION ALL
-- human opens (EDGE: is_bot null sometimes: unknown, counted as human)
SELECT key * 16 + 2, email_id, 'OPEN', open1_at, NULL, NULL,
    CASE WHEN rnd('nb2', key) < 0.1 THEN NULL ELSE false END
FROM f WHERE opened
UNION ALL
SELECT key * 16 + 3, email_id, 'OPEN', open2_at, NULL, NULL,
    CASE WHEN rnd('nb3', key) < 0.1 THEN NULL ELSE false END
FROM f WHERE opened AND has_open2
UNION ALL
SELECT key * 16 + 4, email_id, 'OPEN', open2_at + 600 + ri('o3t', key, 3 * {DAY}), NULL, NULL,
    CASE WHEN rnd('nb4', key) < 0.1 THEN NULL ELSE false END
FROM f WHERE opened AND has_open2 AND has_open3
UNION ALL
-- EDGE: bot opens (privacy proxies); some enrollments have only these
SELECT key * 16 + 5, email_id, 'OPEN', sent_at + 1 + ri('bat', key, 20), NULL, NULL, true
FROM f WHERE delivered AND rnd('bo', key) < 0.15
UNION ALL
SELECT key * 16 + 6, email_id, 'CLICK', click1_at, pick('url', key, {_list(EMAIL_LINKS)}), NULL,
    CASE WHEN rnd('nb6', key) < 0.1 THEN NULL ELSE false END
FROM f WHERE clicked
UNION ALL
SELECT key * 16 + 7, email_id, 'CLICK', click1_at + 60 + ri('c2t', key, {DAY}),
    pick('url2', key, {_list(EMAIL_LINKS)}), NULL, false
FROM f WHERE clicked AND rnd('ck2', key) < 0.25
UNION ALL
-- EDGE: bot clicks (link scanners)
SELECT key * 16 + 8, email_id, 'CLICK', sent_at + 2 + ri('bct', key, 15),
    pick('url', key, {_list(EMAIL_LINKS)}), NULL, true
FROM f WHERE delivered AND rnd('bc', key) < 0.04
UNION ALL
-- EDGE: UNSUBSCRIBE events: the one that stopped the enrollment, and stray ones
SELECT key * 16 + 9, email_id, 'UNSUBSCRIBE', t_stop - 20, NULL, NULL, NULL
FROM f WHERE unsub_event
UNION ALL
SELECT key * 16 + 9, email_id, 'UNSUBSCRIBE', open1_at + 120, NULL, NULL, NULL
FROM f WHERE opened AND outcome = 'NATURAL' AND rnd('sun', key) < 0.004
UNION ALL
SELECT key * 16 + 10, email_id, 'SPAM_REPORT', sent_at + 600 + ri('spt', key, 2 * {DAY}),
    NULL, NULL, NULL
FROM f WHERE delivered AND rnd('sp', key) < 0.003;

CREATE TEMP TABLE out_email_events AS
SELECT _k, sid('evt_', _k) AS event_id, email_id, event_type, occurred_at, url, bounce_type,
    is_bot
FROM _ev WHERE occurred_at <= {NOW}
UNION ALL
-- EDGE: exact repeats of events (same event_id)
SELECT _k, sid('evt_', _k), email_id, event_type, occurred_at, url, bounce_type, is_bot
FROM _ev WHERE occurred_at <= {NOW} AND rnd('evd', _k) < 0.01
UNION ALL
-- EDGE: orphan events of an unknown email
SELECT {orphan} * 16 + o, sid('evt_', {orphan} * 16 + o), sid('eml_', {orphan}),
    CASE o WHEN 0 THEN 'DELIVERED' ELSE 'OPEN' END, {NOW - 40 * DAY} + o * 3600, NULL, NULL,
    CASE o WHEN 0 THEN NULL ELSE false END
FROM range(2) AS t(o);
"""


def _inbound(p: _Params) -> str:
    s = p.sizes
    base = s.enrollments * 32
    return f"""
CREATE TEMP TABLE out_inbound_emails AS
WITH rows AS (
    -- replies that unenrolled the contact (EDGE: some answer no sequence email;
    -- EDGE: some are known only from unenroll_source, with no inbound row)
    SELECT en.e * 32 AS _k, en.contact_id, en.t_stop AS received_at,
        CASE WHEN en.is_late_reply OR en.unenroll_source = 'THREAD_REPLY'
                  OR rnd('rnl', en.e) >= 0.2 THEN re.email_id END AS in_reply_to_email_id,
        false AS is_auto_reply
    FROM _enr AS en
    LEFT JOIN _emails AS re ON re.e = en.e AND re.k = en.reply_k
    WHERE en.unenroll_source IN ('REPLY', 'THREAD_REPLY') AND rnd('rin', en.e) < 0.9
    UNION ALL
    -- EDGE: a reply before the enrollment started
    SELECT e * 32 + 1, contact_id,
        greatest(contact_created_at + 30, enrolled_at - 60 - ri('rbt', e, 10 * {DAY})), NULL, false
    FROM _enr WHERE state <> 'SCHEDULED' AND rnd('rbe', e) < 0.012
    UNION ALL
    -- a late reply, after a finished enrollment's window
    SELECT en.e * 32 + 2, en.contact_id, en.ended_at + {DAY} + ri('rlt', en.e, 4 * {DAY}),
        re.email_id, false
    FROM _enr AS en
    LEFT JOIN _emails AS re ON re.e = en.e AND re.k = en.auto_ks[len(en.auto_ks)]
    WHERE en.state = 'FINISHED' AND rnd('rlr', en.e) < 0.03
    UNION ALL
    -- a reply inside the window that answered no sequence email (not unenrolled)
    SELECT e * 32 + 3, contact_id,
        step_t(enrolled_at, cds, 1, off) + 3600
            + ri('rwt', e, greatest(ended_at - step_t(enrolled_at, cds, 1, off) - 7200, 1)),
        NULL, false
    FROM _enr WHERE state = 'FINISHED' AND rnd('rwr', e) < 0.02
    UNION ALL
    -- EDGE: auto-replies (out of office)
    SELECT key * 4 + 1, contact_id, sent_at + 60 + ri('art', key, 600),
        CASE WHEN rnd('arn', key) < 0.9 THEN email_id END, true
    FROM _email_flags WHERE delivered AND rnd('ar', key) < 0.04
    UNION ALL
    -- inbound email from contacts outside any sequence
    SELECT {base} + c * 4, contact_id, created_at + ri('cit', c, {NOW} - created_at), NULL,
        rnd('cia', c) < 0.2
    FROM _contacts WHERE rnd('cin', c) < 0.03
)
SELECT _k, sid('inb_', _k) AS inbound_email_id, contact_id, received_at, in_reply_to_email_id,
    is_auto_reply
FROM rows WHERE received_at <= {NOW};
"""


def _meetings(p: _Params) -> str:
    s = p.sizes
    sources = ["SEQUENCE_EMAIL_LINK", "MEETINGS_LINK", "CALENDAR", "MANUAL"]
    return f"""
CREATE TEMP TABLE out_meetings AS
WITH rows AS (
    -- meetings booked during the enrollment that unenrolled it (EDGE: some are
    -- known only from unenroll_source = MEETING, with no meeting row)
    SELECT e * 4 AS _k, contact_id, user_id AS owner_user_id, t_stop - 30 AS booked_at,
        CASE WHEN rnd('msr', e) < 0.55 THEN 'SEQUENCE_EMAIL_LINK'
             WHEN rnd('msr', e) < 0.85 THEN 'MEETINGS_LINK'
             WHEN rnd('msr', e) < 0.95 THEN 'CALENDAR' ELSE 'MANUAL' END AS booking_source
    FROM _enr WHERE unenroll_source = 'MEETING' AND rnd('mrow', e) < 0.85
    UNION ALL
    -- EDGE: meetings after the enrollment ended: within the window, exactly
    -- 7 days after ended_at, 7 days + 1 second after it, and well after
    SELECT e * 4 + 1, contact_id, user_id,
        ended_at + CASE
            WHEN rnd('mpk', e) < 0.35 THEN 3600 + ri('mpt', e, 6 * {DAY})
            WHEN rnd('mpk', e) < 0.50 THEN 7 * {DAY}
            WHEN rnd('mpk', e) < 0.65 THEN 7 * {DAY} + 1
            ELSE 20 * {DAY} + ri('mpt', e, 40 * {DAY}) END,
        pick('mps', e, {_list(sources)})
    FROM _enr
    WHERE (unenroll_source IN ('REPLY', 'THREAD_REPLY') AND rnd('mpb', e) < 0.35)
       OR (state = 'FINISHED' AND rnd('mpb', e) < 0.04)
    UNION ALL
    -- meetings outside any sequence
    SELECT {s.enrollments * 4} + c, contact_id, sid('usr_', ri('mou', c, {p.users})),
        created_at + ri('mot', c, {NOW} - created_at),
        CASE WHEN rnd('mos', c) < 0.5 THEN 'MANUAL' ELSE 'CALENDAR' END
    FROM _contacts WHERE rnd('mct', c) < 0.02
)
SELECT _k, sid('mtg_', _k) AS meeting_id, contact_id, owner_user_id, booked_at,
    booked_at + {DAY} + ri('mst', _k, 10 * {DAY}) AS start_at, booking_source
FROM rows WHERE booked_at <= {NOW};
"""


def _deals(p: _Params) -> str:
    s = p.sizes
    stages = [
        "appointmentscheduled",
        "qualifiedtobuy",
        "presentationscheduled",
        "decisionmakerboughtin",
        "contractsent",
    ]
    products = ["Platform", "Insights add-on", "Enterprise renewal", "Sales Hub seats", "Pilot"]
    return f"""
CREATE TEMP TABLE _contact_enr AS
SELECT c, min(enrolled_at) AS first_enrolled_at
FROM _enr WHERE state <> 'SCHEDULED' GROUP BY c;

CREATE TEMP TABLE _deals AS
WITH src AS (
    -- deals after a positive sequence outcome (and a few after a finished one)
    SELECT e * 4 AS key, c, u, ended_at + 3600 + ri('dat', e, 30 * {DAY}) AS created_at
    FROM _enr
    WHERE (state = 'UNENROLLED' AND unenroll_source IN
              ('REPLY', 'THREAD_REPLY', 'MEETING', 'ACCOUNT_REPLY', 'ACCOUNT_MEETING')
           AND rnd('dA', e) < 0.45)
       OR (state = 'FINISHED' AND rnd('dA', e) < 0.03)
    UNION ALL
    -- EDGE: deals created after two enrollments of the same contact
    SELECT en.e * 4 + 1, en.c, en.u,
        greatest(en.enrolled_at, fe.enrolled_at) + 3 * {DAY} + ri('dbt', en.e, 20 * {DAY})
    FROM _enr AS en
    JOIN _enr AS fe ON fe.e = en.c
    WHERE en.e >= {s.enrolled_contacts} AND en.state <> 'SCHEDULED'
      AND fe.state <> 'SCHEDULED' AND rnd('dB', en.e) < 0.10
    UNION ALL
    -- EDGE: deals created before any enrollment of their contact
    SELECT ct.c * 4 + 2, ct.c, ri('dcu', ct.c, {p.users}),
        ct.created_at + 3600 + ri('dct', ct.c, ce.first_enrolled_at - ct.created_at - 7200)
    FROM _contacts AS ct
    JOIN _contact_enr AS ce ON ce.c = ct.c
    WHERE ce.first_enrolled_at - ct.created_at > 2 * {DAY} AND rnd('dC', ct.c) < 0.03
    UNION ALL
    -- deals of marketing-sourced contacts (with touchpoints before them)
    SELECT c * 4 + 3, c, ri('ddu', c, {p.users}),
        created_at + 2 * {DAY} + ri('ddt', c, 60 * {DAY})
    FROM _contacts WHERE is_mkt AND rnd('dD', c) < 0.07
), b AS (
    SELECT
        *,
        CASE WHEN rnd('dst', key) < 0.35 THEN 'won' WHEN rnd('dst', key) < 0.60 THEN 'lost'
             ELSE 'open' END AS outcome0,
        created_at + 7 * {DAY} + ri('dcl', key, 110 * {DAY}) AS close_at
    FROM src WHERE created_at <= {NOW}
)
SELECT
    *,
    CASE WHEN close_at > {NOW} THEN 'open' ELSE outcome0 END AS outcome,
    sid('deal_', key) AS deal_id
FROM b;

CREATE TEMP TABLE out_deals AS
SELECT
    d.key AS _k,
    d.deal_id,
    coalesce(co.base_name, ct.first_name || ' ' || ct.last_name, 'Unnamed') || ' - '
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
JOIN _contacts AS c0 ON c0.c = d.c
LEFT JOIN _companies AS co ON co.c = c0.company_idx
JOIN out_contacts AS ct ON ct._k = d.c;

CREATE TEMP TABLE out_deal_contacts AS
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
FROM _deals;
"""


def _campaigns(p: _Params) -> str:
    s = p.sizes
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
    spend_rows = [
        (cp["r"], i, ch, len(cp["spend"]))  # type: ignore[arg-type]
        for cp in CAMPAIGNS
        for i, ch in enumerate(cp["spend"])  # type: ignore[arg-type]
    ]
    spend = _values(spend_rows, "sp", ["r", "ch_idx", "channel", "n_channels"])
    return f"""
CREATE TEMP TABLE _campaign_pattern AS SELECT * FROM {pattern};

CREATE TEMP TABLE _campaigns AS
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

CREATE TEMP TABLE out_campaigns AS
SELECT
    c AS _k, campaign_id, name,
    utm AS utm_campaign,
    CASE WHEN owner_r IS NOT NULL THEN sid('usr_', owner_r + 8 * (g % {s.user_groups})) END
        AS owner_user_id,
    start_date, end_date, budget_amount,
    goal_s AS goal_sessions, goal_n AS goal_new_contacts, goal_i AS goal_influenced_contacts,
    created_at
FROM _campaigns;

-- the campaigns' assets (slot s of campaign c has key c * 8 + s + 8)
CREATE TEMP TABLE _assets AS
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

CREATE TEMP TABLE out_campaign_assets AS
SELECT
    a.c * 128 + (a.c - a.owner_c) * 8 + a.slot AS _k,
    cm.campaign_id, a.asset_type, a.asset_id,
    cm_owner.name || ': ' || a.asset_name AS asset_name,
    CASE WHEN a.path IS NOT NULL THEN a.prefix || a.page_path || a.suffix END AS asset_url,
    a.associated_at
FROM _assets AS a
JOIN _campaigns AS cm ON cm.c = a.c
JOIN _campaigns AS cm_owner ON cm_owner.c = a.owner_c;

-- per campaign: its own web pages and the ids of its other assets
CREATE TEMP TABLE _campaign_links AS
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

-- EDGE: spend for some campaigns only (weekly, per channel)
CREATE TEMP TABLE out_campaign_spend AS
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
FROM n;
"""


def _web(p: _Params) -> str:
    s = p.sizes
    cats = [name for name, _ in SESSION_CATEGORIES]
    cum = _cumulative([w for _, w in SESSION_CATEGORIES])
    anchor = p.visitors_base  # the last visit of the data: its second page view is at now
    return f"""
CREATE TEMP TABLE _visitors AS
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
FROM idv
UNION ALL
-- EDGE: anonymous visitors never identified
SELECT
    {p.visitors_base} + a, NULL, NULL,
    CASE WHEN a = 0 THEN {NOW - 600}
         ELSE {START} + ri('vaf', a, {NOW - START - DAY}) END,
    CASE WHEN a = 0 THEN 1 ELSE 1 + CAST(rnd('vna', a) < 0.15 AS BIGINT) END
FROM range({s.anonymous_visitors}) AS t(a);

CREATE TEMP TABLE out_visitor_identities AS
SELECT vk AS _k, sid('vis_', vk) AS visitor_id, sid('con_', c) AS contact_id, identified_at
FROM _visitors WHERE c IS NOT NULL AND identified_at <= {NOW};

CREATE TEMP TABLE _sessions AS
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
        {_list(cats)}[1 + wpick(rnd('scat', sk), {cum})] AS cat,
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
    *,
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

-- EDGE: web sessions of every source category, identified and anonymous
CREATE TEMP TABLE out_web_sessions AS
SELECT sk AS _k, sid('ses_', sk) AS session_id, sid('vis_', vk) AS visitor_id, started_at,
    landing_url, referrer_url, utm_source, utm_medium, utm_campaign, utm_term, utm_content
FROM _sessions;

CREATE TEMP TABLE _pageviews AS
SELECT
    s.sk * 8 + t.j AS pk, s.sk, s.vk, s.c, s.identified_at, s.cta_id, s.camp,
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

CREATE TEMP TABLE out_pageviews AS
SELECT pk AS _k, sid('pv_', pk) AS pageview_id, sid('ses_', sk) AS session_id,
    sid('vis_', vk) AS visitor_id, url, viewed_at
FROM _pageviews WHERE viewed_at <= {NOW}
UNION ALL
-- EDGE: orphan page views of an unknown session
SELECT ({anchor} + {s.anonymous_visitors + 3}) * 64 + o,
    sid('pv_', ({anchor} + {s.anonymous_visitors + 3}) * 64 + o),
    sid('ses_', ({anchor} + {s.anonymous_visitors + 3}) * 8),
    sid('vis_', {anchor} + 1), 'https://www.acme-gtm.com/pricing', {NOW - 3 * DAY} + o * 60
FROM range(2) AS t(o);
"""


def _forms(p: _Params) -> str:
    s = p.sizes
    general = f"'frm_' || lpad('{GENERAL_FORM_KEY}', {p.width}, '0')"
    return f"""
CREATE TEMP TABLE out_form_submissions AS
WITH first_forms AS (
    -- the submission that created a marketing-sourced contact
    SELECT ct.c * 4 AS _k, ct.c, ct.created_at AS submitted_at,
        CASE WHEN rnd('fgn', ct.c) < 0.2 THEN NULL ELSE cl.form_id END AS form_id,
        cl.lp_path, cl.pages,
        CASE WHEN rnd('fnv', ct.c) < 0.1 THEN NULL ELSE sid('vis_', ct.c * 2) END AS visitor_id
    FROM _contacts AS ct
    JOIN _campaign_links AS cl
        ON cl.c = camp_r(ct.created_at, rnd('fcq', ct.c)) + 6 * ri('fcg', ct.c, {s.campaign_groups})
    WHERE ct.is_mkt
), later_forms AS (
    SELECT v.c * 4 + 1 + v.vk % 2, v.c,
        v.identified_at + 3600 + ri('flt', v.vk, greatest({NOW} - v.identified_at - 3600, 1)),
        cl.form_id, cl.lp_path, cl.pages, sid('vis_', v.vk)
    FROM _visitors AS v
    JOIN _campaign_links AS cl ON cl.c = ri('flc', v.vk, {p.campaigns})
    WHERE v.c IS NOT NULL AND v.identified_at < {NOW - 3600} AND rnd('flf', v.vk) < 0.15
), rows AS (SELECT * FROM first_forms UNION ALL SELECT * FROM later_forms)
SELECT
    _k, sid('sub_', _k) AS submission_id,
    coalesce(form_id, {general}) AS form_id,
    sid('con_', c) AS contact_id,
    visitor_id,
    CASE WHEN rnd('fnp', _k) < 0.1 THEN NULL
         WHEN form_id IS NULL THEN url_variant('/contact', _k)
         ELSE url_variant(coalesce(lp_path, pages[1], '/contact'), _k) END AS page_url,
    submitted_at
FROM rows WHERE submitted_at <= {NOW};
"""


def _marketing_email_events(p: _Params) -> str:
    return f"""
CREATE TEMP TABLE _memails AS
SELECT row_number() OVER (ORDER BY c) - 1 AS me_idx, me_id, me_send
FROM _campaign_links WHERE me_id IS NOT NULL;

-- each contact may receive up to three different marketing emails
CREATE TEMP TABLE _recipients AS
WITH n AS (SELECT count(*) AS n FROM _memails)
SELECT ct.c * 4 + t.i AS rk, ct.c, me.me_id, me.me_send
FROM _contacts AS ct
CROSS JOIN range(3) AS t(i)
CROSS JOIN n
JOIN _memails AS me ON me.me_idx = (ri('mei', ct.c, n.n) + t.i * (1 + ri('mej', ct.c, 5))) % n.n
WHERE rnd('mes', ct.c * 4 + t.i) < 0.35 AND ct.created_at < me.me_send
    AND t.i * (1 + ri('mej', ct.c, 5)) < n.n;

CREATE TEMP TABLE _mev AS
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

CREATE TEMP TABLE out_marketing_email_events AS
SELECT _k, sid('mev_', _k) AS event_id, me_id AS marketing_email_id, sid('con_', c) AS contact_id,
    event_type, occurred_at, is_bot
FROM _mev WHERE occurred_at <= {NOW}
UNION ALL
-- EDGE: exact repeats of marketing email events
SELECT _k, sid('mev_', _k), me_id, sid('con_', c), event_type, occurred_at, is_bot
FROM _mev WHERE occurred_at <= {NOW} AND rnd('mvd', _k) < 0.01;
"""


def _asset_clicks(p: _Params) -> str:
    return f"""
CREATE TEMP TABLE out_asset_clicks AS
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
    _k, sid('clk_', _k) AS click_id, asset_type, asset_id,
    CASE WHEN known_c IS NOT NULL AND rnd('cnv', _k) < 0.1 THEN NULL
         ELSE sid('vis_', vk) END AS visitor_id,
    sid('con_', known_c) AS contact_id,
    clicked_at
FROM known WHERE clicked_at <= {NOW};
"""


_BUILDERS: tuple[Callable[[_Params], str], ...] = (
    _macros,
    _users,
    _companies,
    _contacts,
    _templates,
    _sequences,
    _steps,
    _enrollments,
    _executions,
    _email_events,
    _inbound,
    _meetings,
    _deals,
    _campaigns,
    _web,
    _forms,
    _marketing_email_events,
    _asset_clicks,
)


# --------------------------------------------------------------------------- #
# Output
# --------------------------------------------------------------------------- #


def _render(column: Column, fmt: str) -> str:
    """The SELECT expression writing one contract column in ``fmt``."""
    name, salt = column.name, f"'{column.name}'"
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


def _write(con: duckdb.DuckDBPyConnection, table: str, path: Path, fmt: str) -> int:
    """Write ``out_<table>`` to ``path`` in contract column order; return its row count."""
    columns = ", ".join(_render(column, fmt) for column in RAW_CONTRACT[table])
    options = "FORMAT parquet, COMPRESSION zstd" if fmt == "parquet" else "FORMAT csv, HEADER true"
    target = str(path).replace("'", "''")
    result = con.execute(
        f"COPY (SELECT {columns} FROM out_{table} ORDER BY _k) TO '{target}' ({options})"
    ).fetchall()
    return int(result[0][0])


def generate(
    out_dir: Path, *, seed: int = 42, scale: float | None = None, fmt: str = "csv"
) -> dict[str, int]:
    """Write one file per raw table, <table>.csv or <table>.parquet, into out_dir (created if
    needed); return row counts per table.

    ``scale=None`` writes the demo data (about 40 thousand rows); ``scale=N`` about N million
    ``email_events`` rows with every other table in proportion. The same ``seed`` (and scale)
    always writes byte-identical files, and the CSV and Parquet outputs of one seed hold the
    same data.
    """
    if fmt not in ("csv", "parquet"):
        raise ValueError(f"fmt must be 'csv' or 'parquet', got {fmt!r}")
    params = _Params(seed=int(seed), sizes=sizes_for(scale))
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="gtm-generate-") as spill:
        con = duckdb.connect(":memory:")
        try:
            con.execute("SET TimeZone = 'UTC'")
            con.execute("SET preserve_insertion_order = true")
            con.execute(f"SET temp_directory = '{spill}'")
            for builder in _BUILDERS:
                for statement in con.extract_statements(builder(params)):
                    con.execute(statement).fetchall()
            for table in RAW_CONTRACT:
                counts[table] = _write(con, table, out_dir / f"{table}.{fmt}", fmt)
        finally:
            con.close()
    return counts
