"""Deterministic simulation of Ledgerly's customers and their product usage.

Pure Python (no Django). ``simulate_customers()`` yields ``SimulatedCustomer`` objects with
``identify``-style traits and Segment-style ``track`` events over the last ``days`` days;
``write_interactions_csv()`` turns them into the ``user_id,item_id,timestamp,weight`` file
that ``manage.py evaluate_recommender --interactions`` reads.

How the simulated world works, so that a recommender has something real to learn:

- Each customer belongs to a persona (freelancer, agency, ...) that decides their plan,
  locale and timezone mix, which features they adopt and how often they use them, which
  features they struggle with, and how keen they are on advanced lessons.
- Each customer has a learning plan: lessons whose *primary* (first) feature they use, chosen
  with the persona's probability (``PERSONA_LESSONS``), plus those lessons' prerequisites,
  taken in catalogue order. Same persona, similar lessons; lessons follow feature usage.
- Usage is heavier in a new account's first weeks and on weekdays, in local working hours.
- Errors cluster: an error is often retried and fails again within minutes, and a feature
  that failed yesterday is more likely to fail today.
- Repeated errors on a feature often lead to a support ticket a few hours later.
- After an error, a customer often opens the next lesson for that feature; completing a
  lesson on a feature cuts later errors and tickets on it (lessons "save tickets").
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import random
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from .content import (
    BUILTIN_EVENTS,
    EVENT_MAPPINGS,
    FEATURE_KEYS,
    LESSON_BY_SLUG,
    LESSONS,
    with_prerequisites,
)

# --------------------------------------------------------------------------------------
# Personas
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Persona:
    """A kind of Ledgerly customer.

    ``features`` maps a feature key to ``(adoption probability, uses per active day)``;
    ``struggles`` maps a feature key to the chance that one use of it fails.
    """

    name: str
    description: str
    share: float
    plans: dict[str, float]
    locales: dict[str, float]
    timezones: dict[str, float]
    features: dict[str, tuple[float, float]]
    struggles: dict[str, float]
    ticket_rate: float
    learning: float
    level_bias: dict[str, float]
    activity: float
    seats: tuple[int, int]
    company_suffixes: tuple[str, ...]
    weekend_factor: float = 0.3


_TZ_US_EU = {
    "America/New_York": 0.26,
    "America/Chicago": 0.12,
    "America/Los_Angeles": 0.14,
    "America/Toronto": 0.05,
    "Europe/London": 0.22,
    "Europe/Dublin": 0.04,
    "Europe/Berlin": 0.06,
    "Australia/Sydney": 0.07,
    "Asia/Singapore": 0.04,
}
FRENCH_TIMEZONES = {"Europe/Paris": 0.7, "America/Toronto": 0.15, "Europe/Brussels": 0.15}

PERSONAS: list[Persona] = [
    Persona(
        name="freelancer",
        description="Solo consultants and designers: invoices and getting paid, little else.",
        share=0.30,
        plans={"starter": 0.85, "growth": 0.15},
        locales={"en": 0.8, "fr": 0.2},
        timezones=_TZ_US_EU,
        features={
            "invoices": (1.0, 0.55),
            "payments": (0.85, 0.35),
            "expenses": (0.6, 0.2),
            "taxes": (0.45, 0.08),
            "reports": (0.4, 0.08),
            "recurring-billing": (0.15, 0.1),
        },
        struggles={"payments": 0.07, "taxes": 0.10, "invoices": 0.02},
        ticket_rate=0.35,
        learning=0.55,
        level_bias={"beginner": 1.0, "intermediate": 0.55, "advanced": 0.12},
        activity=0.38,
        seats=(1, 1),
        company_suffixes=("Design", "Consulting", "Studio", "Photography", "Coaching"),
    ),
    Persona(
        name="agency",
        description="Creative and marketing agencies on retainers, with a small team.",
        share=0.18,
        plans={"growth": 0.7, "starter": 0.2, "enterprise": 0.1},
        locales={"en": 0.88, "fr": 0.12},
        timezones={
            "America/New_York": 0.3,
            "Europe/London": 0.3,
            "America/Los_Angeles": 0.2,
            "Australia/Sydney": 0.1,
            "Europe/Berlin": 0.1,
        },
        features={
            "recurring-billing": (0.9, 0.35),
            "invoices": (1.0, 0.45),
            "team-roles": (0.8, 0.12),
            "reports": (0.75, 0.2),
            "payments": (0.6, 0.2),
            "expenses": (0.4, 0.12),
        },
        struggles={"recurring-billing": 0.07, "team-roles": 0.08, "invoices": 0.02},
        ticket_rate=0.4,
        learning=0.6,
        level_bias={"beginner": 1.0, "intermediate": 0.8, "advanced": 0.45},
        activity=0.45,
        seats=(1, 3),
        company_suffixes=("Creative", "Agency", "Partners", "Digital", "Media"),
    ),
    Persona(
        name="ecommerce",
        description="Online shops selling abroad: bank feeds, currencies, VAT and exports.",
        share=0.16,
        plans={"growth": 0.6, "starter": 0.3, "enterprise": 0.1},
        locales={"en": 0.75, "fr": 0.25},
        timezones={
            "Europe/London": 0.3,
            "Europe/Berlin": 0.2,
            "America/New_York": 0.2,
            "Europe/Dublin": 0.1,
            "Asia/Singapore": 0.1,
            "Australia/Sydney": 0.1,
        },
        features={
            "bank-sync": (0.9, 0.35),
            "multi-currency": (0.85, 0.25),
            "taxes": (0.8, 0.18),
            "exports": (0.7, 0.18),
            "payments": (0.7, 0.25),
            "invoices": (0.5, 0.12),
            "reports": (0.4, 0.08),
        },
        struggles={"bank-sync": 0.08, "multi-currency": 0.08, "taxes": 0.07},
        ticket_rate=0.45,
        learning=0.6,
        level_bias={"beginner": 1.0, "intermediate": 0.85, "advanced": 0.4},
        activity=0.5,
        seats=(1, 2),
        company_suffixes=("Goods", "Shop", "Supply Co.", "Outfitters", "Boutique"),
        weekend_factor=0.7,
    ),
    Persona(
        name="finance-team",
        description="In-house finance teams: reconciliation, reports, exports, month-end.",
        share=0.14,
        plans={"growth": 0.5, "enterprise": 0.5},
        locales={"en": 0.88, "fr": 0.12},
        timezones={
            "America/New_York": 0.3,
            "America/Chicago": 0.2,
            "Europe/London": 0.3,
            "America/Toronto": 0.1,
            "Europe/Berlin": 0.1,
        },
        features={
            "reports": (1.0, 0.45),
            "exports": (0.85, 0.25),
            "expenses": (0.85, 0.3),
            "bank-sync": (0.85, 0.3),
            "taxes": (0.5, 0.08),
            "team-roles": (0.3, 0.05),
            "invoices": (0.4, 0.1),
        },
        struggles={"exports": 0.06, "bank-sync": 0.07, "reports": 0.05},
        ticket_rate=0.4,
        learning=0.7,
        level_bias={"beginner": 0.8, "intermediate": 1.0, "advanced": 0.8},
        activity=0.55,
        seats=(2, 4),
        company_suffixes=("Holdings", "Group", "Logistics", "Manufacturing", "Foods"),
        weekend_factor=0.1,
    ),
    Persona(
        name="developer",
        description="Engineers integrating Ledgerly with their product through API and webhooks.",
        share=0.12,
        plans={"growth": 0.6, "enterprise": 0.4},
        locales={"en": 0.92, "fr": 0.08},
        timezones={
            "America/Los_Angeles": 0.35,
            "America/New_York": 0.2,
            "Europe/London": 0.15,
            "Europe/Berlin": 0.15,
            "Asia/Singapore": 0.15,
        },
        features={
            "api-webhooks": (1.0, 0.6),
            "exports": (0.7, 0.15),
            "sso": (0.4, 0.05),
            "invoices": (0.6, 0.15),
            "recurring-billing": (0.35, 0.08),
            "payments": (0.35, 0.08),
        },
        struggles={"api-webhooks": 0.07, "sso": 0.10, "exports": 0.03},
        ticket_rate=0.3,
        learning=0.65,
        level_bias={"beginner": 0.7, "intermediate": 1.0, "advanced": 0.85},
        activity=0.42,
        seats=(1, 2),
        company_suffixes=("Labs", "Software", "Technologies", "Cloud", "Systems"),
        weekend_factor=0.4,
    ),
    Persona(
        name="enterprise-admin",
        description="IT and finance admins of larger accounts: SSO, roles, approvals, reports.",
        share=0.10,
        plans={"enterprise": 1.0},
        locales={"en": 0.9, "fr": 0.1},
        timezones={
            "America/New_York": 0.35,
            "America/Chicago": 0.15,
            "Europe/London": 0.3,
            "Europe/Berlin": 0.1,
            "Asia/Singapore": 0.1,
        },
        features={
            "sso": (0.95, 0.15),
            "team-roles": (1.0, 0.3),
            "reports": (0.8, 0.25),
            "exports": (0.5, 0.08),
            "expenses": (0.4, 0.1),
        },
        struggles={"sso": 0.10, "team-roles": 0.07, "reports": 0.03},
        ticket_rate=0.5,
        learning=0.6,
        level_bias={"beginner": 0.8, "intermediate": 1.0, "advanced": 0.8},
        activity=0.4,
        seats=(2, 5),
        company_suffixes=("Industries", "Group", "International", "Healthcare", "Energy"),
        weekend_factor=0.1,
    ),
]

PERSONA_BY_NAME: dict[str, Persona] = {p.name: p for p in PERSONAS}

BASELINE_ERROR_RATE = 0.01
LESSON_ERROR_FACTOR = 0.35  # each completed lesson on a feature multiplies its error rate
LESSON_TICKET_FACTOR = 0.4  # ... and its ticket probability
COMPLETION_PROBABILITY = 0.85  # a planned lesson, once opened, is finished


def _feature_strength(persona: Persona, feature: str) -> float:
    if feature not in persona.features:
        return 0.0
    adoption, rate = persona.features[feature]
    top = max(r for _, r in persona.features.values())
    strength = (0.55 + 0.45 * rate / top) * adoption
    if feature in persona.struggles:
        strength *= 1.25
    return strength


def _lesson_probability(persona: Persona, lesson: dict[str, Any]) -> float:
    primary, *others = lesson["features"]
    base = _feature_strength(persona, primary)
    if base == 0.0:
        return 0.0
    if others:
        base *= 0.7 + 0.3 * sum(_feature_strength(persona, f) for f in others) / len(others)
    return min(0.95, persona.learning * persona.level_bias[lesson["level"]] * base)


#: Lessons each persona tends to complete, in prerequisite order, with the probability that a
#: customer of that persona who uses the lesson's primary feature plans to complete it.
PERSONA_LESSONS: dict[str, list[tuple[str, float]]] = {
    persona.name: [
        (lesson["slug"], round(prob, 3))
        for lesson in LESSONS
        if (prob := _lesson_probability(persona, lesson)) >= 0.03
    ]
    for persona in PERSONAS
}

# --------------------------------------------------------------------------------------
# Events
# --------------------------------------------------------------------------------------

Props = Callable[[random.Random, "_Ctx"], dict[str, Any]]


@dataclass
class _Ctx:
    currency: str
    invoice_no: int = 1000
    foreign: tuple[str, ...] = ("USD", "EUR", "GBP")

    def next_invoice(self) -> str:
        self.invoice_no += 1
        return f"INV-{self.invoice_no}"


def _amount(rng: random.Random, low: float = 40, high: float = 4000) -> float:
    return round(math.exp(rng.uniform(math.log(low), math.log(high))), 2)


def _pick(rng: random.Random, *options: Any) -> Any:
    return options[rng.randrange(len(options))]


_REPORTS = (
    "profit-and-loss",
    "aged-receivables",
    "cash-flow-forecast",
    "balance-sheet",
    "sales-by-client",
    "tax-return",
)
_BANKS = (
    "Chase",
    "Barclays",
    "HSBC",
    "BNP Paribas",
    "Société Générale",
    "Wells Fargo",
    "Revolut Business",
    "Qonto",
    "Monzo Business",
    "Deutsche Bank",
)

EVENT_PROPERTIES: dict[str, Props] = {
    "Invoice Created": lambda r, c: {
        "invoice_id": c.next_invoice(),
        "amount": _amount(r),
        "currency": c.currency,
    },
    "Invoice Sent": lambda r, c: {
        "invoice_id": c.next_invoice(),
        "amount": _amount(r),
        "currency": c.currency,
        "foreign_currency": "false",
    },
    "Credit Note Issued": lambda r, c: {
        "invoice_id": c.next_invoice(),
        "amount": _amount(r, 10, 800),
    },
    "Invoice Send Failed": lambda r, c: {
        "invoice_id": c.next_invoice(),
        "reason": _pick(r, "bounced", "invalid_email"),
    },
    "Subscription Created": lambda r, c: {
        "subscription_id": f"sub_{r.randrange(10**6):06d}",
        "interval": _pick(r, "month", "month", "year"),
        "amount": _amount(r, 30, 3000),
    },
    "Recurring Invoice Generated": lambda r, c: {
        "subscription_id": f"sub_{r.randrange(10**6):06d}",
        "amount": _amount(r, 30, 3000),
    },
    "Recurring Charge Failed": lambda r, c: {
        "subscription_id": f"sub_{r.randrange(10**6):06d}",
        "decline_code": _pick(r, "expired_card", "insufficient_funds", "do_not_honor"),
    },
    "Payment Received": lambda r, c: {
        "amount": _amount(r),
        "currency": c.currency,
        "method": _pick(r, "card", "card", "bank_transfer", "sepa_debit"),
    },
    "Payment Link Shared": lambda r, c: {"invoice_id": c.next_invoice()},
    "Payment Failed": lambda r, c: {
        "amount": _amount(r),
        "currency": c.currency,
        "decline_code": _pick(
            r,
            "insufficient_funds",
            "authentication_required",
            "processor_account_restricted",
            "currency_not_supported",
        ),
    },
    "Expense Recorded": lambda r, c: {
        "amount": _amount(r, 5, 900),
        "currency": c.currency,
        "category": _pick(r, "software", "travel", "meals", "office", "contractors", "fees"),
    },
    "Receipt Uploaded": lambda r, c: {"source": _pick(r, "mobile", "email", "web")},
    "Receipt Scan Failed": lambda r, c: {
        "source": _pick(r, "mobile", "email", "web"),
        "reason": _pick(r, "blurry", "multiple_receipts"),
    },
    "Bank Account Connected": lambda r, c: {"bank": _pick(r, *_BANKS)},
    "Transactions Reconciled": lambda r, c: {"count": r.randint(1, 40)},
    "Bank Sync Failed": lambda r, c: {
        "bank": _pick(r, *_BANKS),
        "status": _pick(r, "consent_expired", "login_required", "bank_unavailable"),
    },
    "Report Viewed": lambda r, c: {"report": _pick(r, *_REPORTS)},
    "Report Scheduled": lambda r, c: {
        "report": _pick(r, *_REPORTS),
        "frequency": _pick(r, "weekly", "monthly"),
    },
    "Report Timed Out": lambda r, c: {"report": _pick(r, *_REPORTS)},
    "Export Downloaded": lambda r, c: {
        "dataset": _pick(r, "invoices", "transactions", "general-ledger", "expenses"),
        "format": _pick(r, "csv", "xlsx", "fec", "datev"),
    },
    "Export Scheduled": lambda r, c: {"destination": _pick(r, "s3", "sftp", "google-drive")},
    "Export Failed": lambda r, c: {
        "format": _pick(r, "csv", "xlsx", "fec"),
        "reason": _pick(r, "timeout", "destination_denied", "encoding"),
    },
    "Currency Enabled": lambda r, c: {"currency": _pick(r, *c.foreign)},
    "Exchange Rate Overridden": lambda r, c: {"currency": _pick(r, *c.foreign)},
    "Currency Revaluation Failed": lambda r, c: {"currency": _pick(r, *c.foreign)},
    "Tax Rate Created": lambda r, c: {"rate": _pick(r, 5.5, 10.0, 20.0, 0.0, 7.0, 19.0)},
    "Tax Return Filed": lambda r, c: {"period": _pick(r, "Q1", "Q2", "Q3", "Q4")},
    "Tax Calculation Error": lambda r, c: {
        "reason": _pick(r, "vies_unavailable", "missing_rate", "invalid_vat_number")
    },
    "Settings Updated": lambda r, c: {"changed_fields": r.randint(1, 4)},
    "Teammate Invited": lambda r, c: {
        "role": _pick(r, "standard", "accountant", "read-only", "admin")
    },
    "Role Changed": lambda r, c: {"role": _pick(r, "standard", "accountant", "custom")},
    "Permission Denied": lambda r, c: {
        "permission": _pick(r, "reports:view", "settings:edit", "bank:view", "bills:approve")
    },
    "SSO Configured": lambda r, c: {"provider": _pick(r, "okta", "entra-id", "google")},
    "SSO Login Succeeded": lambda r, c: {"provider": _pick(r, "okta", "entra-id", "google")},
    "SSO Login Failed": lambda r, c: {
        "reason": _pick(
            r, "no_matching_user", "signature_invalid", "assertion_expired", "audience_mismatch"
        )
    },
    "SCIM Sync Failed": lambda r, c: {"reason": _pick(r, "duplicate_user", "invalid_token")},
    "API Key Created": lambda r, c: {"mode": _pick(r, "test", "test", "live")},
    "API Log Viewed": lambda r, c: {"status_filter": _pick(r, "all", "errors")},
    "API Request Failed": lambda r, c: {
        "status": _pick(r, 400, 401, 422, 429),
        "endpoint": _pick(r, "/v2/invoices", "/v2/clients", "/v2/payments"),
    },
    "Webhook Delivery Failed": lambda r, c: {
        "status": _pick(r, 500, 502, "timeout"),
        "event_type": _pick(r, "invoice.paid", "payment.failed"),
    },
}

#: What using a feature looks like: (event name, relative frequency, extra properties).
USAGE_EVENTS: dict[str, list[tuple[str, float, dict[str, str]]]] = {
    "invoices": [
        ("Invoice Created", 0.45, {}),
        ("Invoice Sent", 0.45, {}),
        ("Credit Note Issued", 0.1, {}),
    ],
    "recurring-billing": [
        ("Recurring Invoice Generated", 0.75, {}),
        ("Subscription Created", 0.25, {}),
    ],
    "payments": [("Payment Received", 0.75, {}), ("Payment Link Shared", 0.25, {})],
    "expenses": [("Expense Recorded", 0.6, {}), ("Receipt Uploaded", 0.4, {})],
    "bank-sync": [("Transactions Reconciled", 0.9, {}), ("Bank Account Connected", 0.1, {})],
    "reports": [("Report Viewed", 0.85, {}), ("Report Scheduled", 0.15, {})],
    "exports": [("Export Downloaded", 0.8, {}), ("Export Scheduled", 0.2, {})],
    "multi-currency": [
        ("Invoice Sent", 0.7, {"foreign_currency": "true"}),
        ("Exchange Rate Overridden", 0.2, {}),
        ("Currency Enabled", 0.1, {}),
    ],
    "taxes": [
        ("Settings Updated", 0.55, {"section": "taxes"}),
        ("Tax Rate Created", 0.3, {}),
        ("Tax Return Filed", 0.15, {}),
    ],
    "team-roles": [
        ("Role Changed", 0.35, {}),
        ("Teammate Invited", 0.35, {}),
        ("Settings Updated", 0.3, {"section": "team"}),
    ],
    "sso": [("SSO Login Succeeded", 0.8, {}), ("SSO Configured", 0.2, {})],
    "api-webhooks": [("API Log Viewed", 0.8, {}), ("API Key Created", 0.2, {})],
}

#: The first time a new account uses a feature it usually sets it up.
SETUP_EVENTS: dict[str, str] = {
    "recurring-billing": "Subscription Created",
    "bank-sync": "Bank Account Connected",
    "multi-currency": "Currency Enabled",
    "taxes": "Tax Rate Created",
    "team-roles": "Teammate Invited",
    "sso": "SSO Configured",
    "api-webhooks": "API Key Created",
}

ERROR_EVENTS: dict[str, list[str]] = {
    "invoices": ["Invoice Send Failed"],
    "recurring-billing": ["Recurring Charge Failed"],
    "payments": ["Payment Failed"],
    "expenses": ["Receipt Scan Failed"],
    "bank-sync": ["Bank Sync Failed"],
    "reports": ["Report Timed Out"],
    "exports": ["Export Failed"],
    "multi-currency": ["Currency Revaluation Failed"],
    "taxes": ["Tax Calculation Error"],
    "team-roles": ["Permission Denied"],
    "sso": ["SSO Login Failed", "SCIM Sync Failed"],
    "api-webhooks": ["API Request Failed", "Webhook Delivery Failed"],
}
BUILTIN_ERROR_SHARE = 0.35

_ERROR_CODES = {
    "invoices": ("PDF_RENDER_FAILED", "Invoice PDF could not be generated"),
    "recurring-billing": ("PRORATION_INVALID", "Proration produced a negative amount"),
    "payments": ("PAYOUT_BLOCKED", "Payouts are paused for this account"),
    "expenses": ("OCR_UNREADABLE", "Could not read receipt"),
    "bank-sync": ("FEED_STALE", "Bank feed has not updated in 3 days"),
    "reports": ("REPORT_TOO_LARGE", "Report exceeded the row limit"),
    "exports": ("EXPORT_ENCODING", "Export contains characters the format cannot encode"),
    "multi-currency": ("RATE_MISSING", "No exchange rate for the selected date"),
    "taxes": ("TAX_RATE_MISSING", "No tax rate applies to this line"),
    "team-roles": ("SEAT_LIMIT", "No seats left on the current plan"),
    "sso": ("SAML_RESPONSE_INVALID", "The SAML response could not be validated"),
    "api-webhooks": ("SIGNATURE_MISMATCH", "Webhook signature did not match"),
}
_TICKET_SUBJECTS = {
    "invoices": "Invoice emails are bouncing",
    "recurring-billing": "Subscription charged the wrong amount",
    "payments": "Client cannot pay by card",
    "expenses": "Receipts are not being read",
    "bank-sync": "Bank feed stopped updating",
    "reports": "Report numbers do not match my bank",
    "exports": "Export fails or looks garbled in Excel",
    "multi-currency": "Exchange rate looks wrong",
    "taxes": "VAT is missing on my invoices",
    "team-roles": "Teammate cannot access reports",
    "sso": "Team cannot sign in with SSO",
    "api-webhooks": "Webhook signature verification fails",
}
CHAT_TOPICS = frozenset(
    m["property_value"]
    for m in EVENT_MAPPINGS
    if m["event_name"] == "Support Chat Started" and m["property_name"] == "topic"
)

#: Every event name the simulator can emit.
KNOWN_EVENT_NAMES: frozenset[str] = frozenset(
    {name for mixes in USAGE_EVENTS.values() for name, _, _ in mixes}
    | set(SETUP_EVENTS.values())
    | {name for names in ERROR_EVENTS.values() for name in names}
    | set(BUILTIN_EVENTS)
    | ({"Support Chat Started"} if CHAT_TOPICS else set())
)

# --------------------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------------------

_FIRST_EN = (
    "Olivia",
    "Liam",
    "Emma",
    "Noah",
    "Ava",
    "James",
    "Sophia",
    "Lucas",
    "Mia",
    "Ethan",
    "Grace",
    "Oliver",
    "Chloe",
    "Henry",
    "Zoe",
    "Samuel",
    "Priya",
    "Arjun",
    "Mei",
    "Daniel",
    "Hannah",
    "Jacob",
    "Isla",
    "Leo",
    "Aisha",
    "Omar",
    "Ruby",
    "Jack",
    "Nora",
    "Caleb",
    "Maya",
    "Ryan",
    "Ella",
    "Adam",
    "Lily",
    "Kenji",
    "Sara",
    "Tom",
    "Elena",
    "Marcus",
)
_LAST_EN = (
    "Smith",
    "Johnson",
    "Brown",
    "Taylor",
    "Wilson",
    "Davies",
    "Evans",
    "Thomas",
    "Roberts",
    "Walker",
    "Wright",
    "Thompson",
    "White",
    "Hughes",
    "Edwards",
    "Green",
    "Hall",
    "Wood",
    "Harris",
    "Clarke",
    "Patel",
    "Khan",
    "Chen",
    "Nguyen",
    "Garcia",
    "Martinez",
    "Kim",
    "Okafor",
    "Murphy",
    "O'Brien",
    "Jackson",
    "Lewis",
    "Young",
    "King",
    "Scott",
    "Baker",
)
_FIRST_FR = (
    "Camille",
    "Louis",
    "Léa",
    "Hugo",
    "Chloé",
    "Arthur",
    "Manon",
    "Jules",
    "Inès",
    "Gabriel",
    "Sarah",
    "Raphaël",
    "Jade",
    "Théo",
    "Louise",
    "Nathan",
    "Alice",
    "Paul",
    "Zoé",
    "Antoine",
    "Juliette",
    "Maxime",
    "Émilie",
    "Lucas",
    "Margaux",
    "Thomas",
    "Anaïs",
    "Mathis",
)
_LAST_FR = (
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefèvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "Lambert",
    "Bonnet",
    "François",
    "Mercier",
    "Tremblay",
    "Gagnon",
    "Côté",
)
_CURRENCY_BY_TZ = {
    "Europe/London": "GBP",
    "Europe/Dublin": "EUR",
    "Europe/Berlin": "EUR",
    "Europe/Paris": "EUR",
    "Europe/Brussels": "EUR",
    "America/Toronto": "CAD",
    "Australia/Sydney": "AUD",
    "Asia/Singapore": "SGD",
}


def _ascii_slug(text: str) -> str:
    table = str.maketrans("éèêëàâäîïôöùûüçÉ", "eeeeaaaiioouuucE")
    return "".join(ch for ch in text.translate(table).lower() if ch.isalnum())


# --------------------------------------------------------------------------------------
# Simulation
# --------------------------------------------------------------------------------------


@dataclass
class SimulatedCustomer:
    """One simulated end user of Ledgerly: identify traits plus track events."""

    user_id: str
    traits: dict[str, Any]
    persona: str
    events: list[dict[str, Any]] = field(default_factory=list)
    features: list[str] = field(default_factory=list)  # features this customer adopted

    @property
    def completed_lessons(self) -> list[str]:
        return [e["properties"]["lesson"] for e in self.events if e["event"] == "Lesson Completed"]


def _weighted(rng: random.Random, weights: dict[str, float]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    limit, k, prod = math.exp(-lam), 0, rng.random()
    while prod > limit:
        k += 1
        prod *= rng.random()
    return k


@dataclass
class _Account:
    account_id: str
    company: str
    plan: str
    locale: str
    timezone: str
    created_at: datetime
    seats_left: int


class _CustomerRun:
    """Simulates one customer's days; collects raw ``(timestamp, name, properties)``."""

    def __init__(
        self,
        rng: random.Random,
        persona: Persona,
        account: _Account,
        start: datetime,
        now: datetime,
    ) -> None:
        self.rng, self.persona, self.account = rng, persona, account
        self.start, self.now = start, now
        self.tz = ZoneInfo(account.timezone)
        self.ctx = _Ctx(currency=_CURRENCY_BY_TZ.get(account.timezone, "USD"))
        self.ctx.foreign = tuple(
            c for c in ("USD", "EUR", "GBP", "CAD", "CHF") if c != self.ctx.currency
        )
        self.raw: list[tuple[datetime, str, dict[str, Any]]] = []

        # feature adoption: the persona's main feature always, others by chance
        main = max(persona.features, key=lambda f: persona.features[f][1])
        self.adopted = {
            f: rate
            for f, (adoption, rate) in persona.features.items()
            if f == main or rng.random() < adoption
        }
        self.engagement = rng.uniform(0.55, 1.45)
        self.learner = 0.0 if rng.random() < 0.15 else rng.uniform(0.55, 1.35)
        churn = rng.random() < 0.1
        self.churn_after = start + timedelta(days=rng.uniform(10, 80)) if churn else None

        # learning plan: lessons on adopted primary features, plus their prerequisites
        chosen = [
            slug
            for slug, prob in PERSONA_LESSONS[persona.name]
            if LESSON_BY_SLUG[slug]["features"][0] in self.adopted
            and rng.random() < prob * self.learner
        ]
        self.plan: list[str] = with_prerequisites(chosen)
        self.planned = set(self.plan)
        self.completed: set[str] = set()
        self.error_mult = dict.fromkeys(FEATURE_KEYS, 1.0)
        self.ticket_mult = dict.fromkeys(FEATURE_KEYS, 1.0)
        if account.created_at < start:
            # an established account learnt the basics before the window: prerequisites it
            # did not choose for themselves count as done, without events
            for slug in self.planned.difference(chosen):
                self.mark_completed(slug)
        self.heat = dict.fromkeys(FEATURE_KEYS, 1.0)
        self.recent_errors: dict[str, deque[datetime]] = {f: deque() for f in FEATURE_KEYS}
        self.last_ticket: dict[str, datetime] = {}
        self.set_up: set[str] = set()

    # -- helpers -------------------------------------------------------------------------

    def emit(self, ts: datetime, name: str, props: dict[str, Any]) -> bool:
        ts = ts.replace(microsecond=ts.microsecond // 1000 * 1000)  # SDKs send milliseconds
        if not self.start < ts <= self.now:
            return False
        self.raw.append((ts, name, props))
        return True

    def local_time(self, day: date, hour: float) -> datetime:
        hh = int(hour)
        mm = int((hour - hh) * 60)
        return datetime(day.year, day.month, day.day, hh, mm, tzinfo=self.tz).astimezone(UTC)

    def session_starts(self, day: date) -> list[datetime]:
        rng = self.rng
        count = 1 + (rng.random() < 0.55) + (rng.random() < 0.2)
        hours = sorted(
            rng.uniform(18.5, 22.5) if rng.random() < 0.12 else rng.triangular(8, 18.5, 10.5)
            for _ in range(count)
        )
        return [self.local_time(day, h) for h in hours]

    def next_lesson(self, feature: str | None = None) -> str | None:
        for slug in self.plan:
            if slug in self.completed:
                continue
            lesson = LESSON_BY_SLUG[slug]
            if feature is not None and feature not in lesson["features"]:
                continue
            if all(p in self.completed or p not in self.planned for p in lesson["prerequisites"]):
                return slug
        return None

    def take_lesson(self, slug: str, ts: datetime, source: str) -> None:
        rng = self.rng
        if not self.emit(ts, "Lesson Viewed", {"lesson": slug, "source": source}):
            return
        if slug not in self.planned or rng.random() >= COMPLETION_PROBABILITY:
            return
        minutes = LESSON_BY_SLUG[slug]["duration_minutes"] * rng.uniform(0.6, 1.6)
        done = ts + timedelta(minutes=minutes)
        if self.emit(done, "Lesson Completed", {"lesson": slug, "source": source}):
            self.mark_completed(slug)

    def mark_completed(self, slug: str) -> None:
        """A completed lesson cuts later errors and tickets on its features."""
        self.completed.add(slug)
        for feature in LESSON_BY_SLUG[slug]["features"]:
            self.error_mult[feature] *= LESSON_ERROR_FACTOR
            self.ticket_mult[feature] *= LESSON_TICKET_FACTOR
            if feature in self.adopted:
                self.adopted[feature] *= 1.08

    def error_event(self, feature: str) -> tuple[str, dict[str, Any]]:
        rng = self.rng
        if rng.random() < BUILTIN_ERROR_SHARE:
            code, message = _ERROR_CODES[feature]
            return "Error Encountered", {"feature": feature, "code": code, "message": message}
        name = _pick(rng, *ERROR_EVENTS[feature])
        return name, EVENT_PROPERTIES[name](rng, self.ctx)

    def error_burst(self, feature: str, ts: datetime) -> datetime:
        """One failure, often retried and failing again; returns the last error's time."""
        rng = self.rng
        count = 0
        while True:
            name, props = self.error_event(feature)
            if self.emit(ts, name, props):
                self.recent_errors[feature].append(ts)
            count += 1
            if count >= 4 or rng.random() >= 0.5:
                return ts
            ts += timedelta(minutes=rng.uniform(0.5, 20))

    def after_errors(self, feature: str, last: datetime) -> None:
        rng = self.rng
        # the widget or a triggered email suggests the next lesson on that feature
        if self.learner and rng.random() < 0.55:
            slug = self.next_lesson(feature)
            when = last + timedelta(minutes=rng.uniform(3, 45))
            if slug is not None:
                self.take_lesson(slug, when, _pick(rng, "widget", "widget", "email"))
            elif rng.random() < 0.15:
                # browsing a lesson outside the plan: opened, not finished
                options = [
                    les["slug"]
                    for les in LESSONS
                    if feature in les["features"] and les["slug"] not in self.planned
                ]
                if options:
                    self.take_lesson(_pick(rng, *options), when, "widget")
        # repeated errors often end in a support ticket
        window = self.recent_errors[feature]
        while window and window[0] < last - timedelta(hours=72):
            window.popleft()
        previous = self.last_ticket.get(feature)
        if previous is not None and last - previous < timedelta(days=5):
            return
        chance = self.persona.ticket_rate * self.ticket_mult[feature]
        if len(window) < 2:
            chance *= 0.2
        if rng.random() >= chance:
            return
        when = last + timedelta(minutes=rng.uniform(20, 240))
        if feature in CHAT_TOPICS and rng.random() < 0.3:
            emitted = self.emit(when, "Support Chat Started", {"topic": feature})
        else:
            emitted = self.emit(
                when,
                "Support Ticket Opened",
                {
                    "feature": feature,
                    "subject": _TICKET_SUBJECTS[feature],
                    "channel": _pick(rng, "widget", "email", "widget"),
                },
            )
        if emitted:
            self.last_ticket[feature] = when

    # -- the day loop --------------------------------------------------------------------

    def run(self) -> None:
        rng, persona = self.rng, self.persona
        created = self.account.created_at
        first = max(self.start, created).astimezone(self.tz).date()
        last = self.now.astimezone(self.tz).date()
        created_day = created.astimezone(self.tz).date()
        day = first
        while day <= last:
            age = (day - created_day).days
            new_boost = 1.0 + 1.3 * math.exp(-age / 10)
            p_active = persona.activity * self.engagement * new_boost
            if day.weekday() >= 5:
                p_active *= persona.weekend_factor
            day_start = self.local_time(day, 0)
            if self.churn_after is not None and day_start > self.churn_after:
                p_active *= 0.08
            if rng.random() < min(0.95, p_active):
                self.active_day(day, age, new_boost)
            for feature in self.heat:
                self.heat[feature] = 1.0 + (self.heat[feature] - 1.0) * 0.5
            day += timedelta(days=1)

    def active_day(self, day: date, age: int, intensity: float) -> None:
        rng, persona = self.rng, self.persona
        sessions = self.session_starts(day)
        bursts: dict[str, datetime] = {}
        for feature, rate in self.adopted.items():
            uses = _poisson(rng, rate * intensity * self.engagement)
            if feature in SETUP_EVENTS and feature not in self.set_up and uses:
                self.set_up.add(feature)
                if age < 60:  # a recent account sets the feature up on first use
                    ts = _pick(rng, *sessions) + timedelta(minutes=rng.uniform(0, 10))
                    self.emit(
                        ts,
                        SETUP_EVENTS[feature],
                        EVENT_PROPERTIES[SETUP_EVENTS[feature]](rng, self.ctx),
                    )
            names = USAGE_EVENTS[feature]
            for _ in range(uses):
                name, _weight, extra = rng.choices(names, weights=[w for _, w, _ in names])[0]
                ts = _pick(rng, *sessions) + timedelta(minutes=rng.uniform(0, 55))
                self.emit(ts, name, {**EVENT_PROPERTIES[name](rng, self.ctx), **extra})
                p_error = persona.struggles.get(feature, 0.0) + BASELINE_ERROR_RATE
                p_error *= self.error_mult[feature] * self.heat[feature]
                if rng.random() < p_error:
                    start = ts + timedelta(minutes=rng.uniform(0.2, 3))
                    end = self.error_burst(feature, start)
                    self.heat[feature] = 3.0
                    bursts[feature] = max(end, bursts.get(feature, end))
        for feature, end in sorted(bursts.items(), key=lambda item: item[1]):
            self.after_errors(feature, end)
        # onboarding in the first two weeks, then the occasional digest email
        if self.learner:
            chances = (0.6, 0.3) if age <= 14 else (0.12,)
            for chance in chances:
                if rng.random() < chance * min(1.0, self.learner):
                    slug = self.next_lesson()
                    if slug is None:
                        break
                    ts = _pick(rng, *sessions) + timedelta(minutes=rng.uniform(0, 50))
                    self.take_lesson(slug, ts, "widget" if age <= 14 else "email")


def simulate_customers(
    n: int = 2400, *, seed: int = 7, now: datetime, days: int = 90
) -> Iterator[SimulatedCustomer]:
    """Yield ``n`` simulated Ledgerly customers with events in ``(now - days, now]``.

    Deterministic for a given ``seed``; the first ``k`` customers are the same whatever
    ``n`` is. ``now`` must be timezone-aware; event timestamps are aware UTC datetimes.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be a timezone-aware datetime")
    if n < 0 or days < 1:
        raise ValueError("n must be >= 0 and days >= 1")
    now = now.astimezone(UTC)
    start = now - timedelta(days=days)
    master = random.Random(seed)
    namespace = uuid.uuid5(uuid.NAMESPACE_URL, f"https://ledgerly.example/demo/{seed}")
    open_accounts: dict[str, _Account] = {}
    used_emails: set[str] = set()
    account_count = 0

    for index in range(1, n + 1):
        rng = random.Random(master.getrandbits(64))
        persona = rng.choices(PERSONAS, weights=[p.share for p in PERSONAS])[0]

        account = open_accounts.get(persona.name)
        if account is None or account.seats_left <= 0:
            account_count += 1
            locale = _weighted(rng, persona.locales)
            tz = _weighted(rng, FRENCH_TIMEZONES if locale == "fr" else persona.timezones)
            last_names = _LAST_FR if locale == "fr" else _LAST_EN
            if rng.random() < 0.4:  # a new account, signed up inside the window
                created = start + timedelta(days=rng.uniform(0, days - 0.5))
            else:
                created = start - timedelta(days=rng.uniform(1, 900))
            account = _Account(
                account_id=f"ledgerly-a-{account_count:05d}",
                company=f"{_pick(rng, *last_names)} {_pick(rng, *persona.company_suffixes)}",
                plan=_weighted(rng, persona.plans),
                locale=locale,
                timezone=tz,
                created_at=created.replace(microsecond=0),
                seats_left=rng.randint(*persona.seats),
            )
            open_accounts[persona.name] = account
        account.seats_left -= 1

        firsts, lasts = (_FIRST_FR, _LAST_FR) if account.locale == "fr" else (_FIRST_EN, _LAST_EN)
        first_name, last_name = _pick(rng, *firsts), _pick(rng, *lasts)
        local = f"{_ascii_slug(first_name)}.{_ascii_slug(last_name)}"
        email, suffix = f"{local}@example.com", 1
        while email in used_emails:
            suffix += 1
            email = f"{local}{suffix}@example.com"
        used_emails.add(email)
        user_id = f"ledgerly-u-{index:05d}"

        run = _CustomerRun(rng, persona, account, start, now)
        run.run()
        run.raw.sort(key=lambda item: item[0])
        events = [
            {
                "event": name,
                "properties": props,
                "timestamp": ts,
                "messageId": str(uuid.uuid5(namespace, f"{user_id}/{seq}")),
            }
            for seq, (ts, name, props) in enumerate(run.raw)
        ]
        traits = {
            "email": email,
            "name": f"{first_name} {last_name}",
            "first_name": first_name,
            "last_name": last_name,
            "locale": account.locale,
            "timezone": account.timezone,
            "plan": account.plan,
            "account_id": account.account_id,
            "company": account.company,
            "created_at": account.created_at.isoformat(),
            "email_consent": rng.random() < 0.88,
        }
        yield SimulatedCustomer(
            user_id=user_id,
            traits=traits,
            persona=persona.name,
            events=events,
            features=sorted(run.adopted),
        )


# --------------------------------------------------------------------------------------
# Signals and the interactions file
# --------------------------------------------------------------------------------------

_NAME_MAPPINGS: dict[str, dict[str, Any]] = {
    m["event_name"]: m for m in EVENT_MAPPINGS if not m["property_name"]
}
_PROPERTY_MAPPINGS: dict[str, list[dict[str, Any]]] = {}
for _mapping in EVENT_MAPPINGS:
    if _mapping["property_name"]:
        _PROPERTY_MAPPINGS.setdefault(_mapping["event_name"], []).append(_mapping)


def signal_for_event(name: str, properties: dict[str, Any]) -> tuple[str, float] | None:
    """``(item_id, weight)`` for one track event, or None if it carries no usable signal.

    Built-ins: ``lesson:<slug>`` for Lesson Viewed/Completed, ``error:<feature>`` and
    ``ticket:<feature>`` for Error Encountered / Support Ticket Opened. Mapped events give
    ``<kind>:<feature>`` with the mapping's weight (a property mapping beats the name-only
    one). Unmapped names count as their own signal, ``event:<name>``, weight 1.
    """
    builtin = BUILTIN_EVENTS.get(name)
    if builtin is not None:
        value = properties.get(builtin["property"])
        if not value:
            return None
        return f"{builtin['kind']}:{value}", float(builtin["weight"])
    for mapping in _PROPERTY_MAPPINGS.get(name, ()):
        actual = properties.get(mapping["property_name"])
        if actual is not None and str(actual).lower() == mapping["property_value"].lower():
            return f"{mapping['kind']}:{mapping['feature']}", float(mapping["weight"])
    mapping = _NAME_MAPPINGS.get(name)
    if mapping is not None:
        return f"{mapping['kind']}:{mapping['feature']}", float(mapping["weight"])
    if name in _PROPERTY_MAPPINGS:
        return None  # only some property values of this event are meaningful
    return f"event:{name}", 1.0


def iter_interactions(
    customers: Iterable[SimulatedCustomer],
) -> Iterator[tuple[str, str, str, float]]:
    """``(user_id, item_id, iso_timestamp, weight)`` for every event that carries a signal."""
    for customer in customers:
        for event in customer.events:
            signal = signal_for_event(event["event"], event["properties"])
            if signal is None:
                continue
            item_id, weight = signal
            yield customer.user_id, item_id, event["timestamp"].isoformat(), weight


def write_interactions_csv(
    path: str | os.PathLike[str], customers: Iterable[SimulatedCustomer]
) -> int:
    """Write ``user_id,item_id,timestamp,weight`` rows; return the number of rows written."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    rows = 0
    with target.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["user_id", "item_id", "timestamp", "weight"])
        for user_id, item_id, timestamp, weight in iter_interactions(customers):
            writer.writerow([user_id, item_id, timestamp, f"{weight:g}"])
            rows += 1
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write simulated Ledgerly interactions.")
    parser.add_argument("--out", default="var/demo_interactions.csv")
    parser.add_argument("-n", type=int, default=2400)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--now", help="ISO timestamp with offset (default: this hour, UTC)")
    args = parser.parse_args(argv)
    if args.now:
        now = datetime.fromisoformat(args.now)
    else:
        now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    customers = simulate_customers(args.n, seed=args.seed, now=now, days=args.days)
    rows = write_interactions_csv(args.out, customers)
    print(f"wrote {rows} interactions for {args.n} customers to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
