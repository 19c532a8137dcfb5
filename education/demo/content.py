"""Demo workspace content for the fictional product "Ledgerly".

Ledgerly is an invoicing and accounting SaaS for small businesses. This module is pure data
plus validation, with no Django imports; the CMS loader turns it into Wagtail pages
(LessonPage, LearningPathPage) and snippets (ProductFeature, EventMapping).

Public data:

- ``FEATURES``: ``[{"key", "name", "description"}]``
- ``EVENT_MAPPINGS``: ``[{"event_name", "property_name", "property_value", "feature", "kind",
  "weight"}]``; an empty ``property_name`` matches the event name alone. A mapping with a
  property wins over the name-only mapping of the same event when the event's property,
  as a string, equals ``property_value`` (e.g. ``Invoice Sent`` with
  ``foreign_currency: "true"`` is a multi-currency signal, otherwise an invoices signal).
- ``BUILTIN_EVENTS``: the four events Waypoint understands without a mapping.
- ``LESSONS``: ``[{"slug", "title", "summary", "duration_minutes", "level", "features",
  "prerequisites", "body"}]``; ``body`` is a list of ``(block_type, value)`` tuples, see
  ``BLOCK_TYPES`` and ``education.demo.blocks``.
- ``PATHS``: ``[{"slug", "title", "intro", "audience_plan", "audience_feature", "lessons"}]``
- ``TRANSLATIONS``: ``{"fr": {"lessons": {slug: {"title", "summary", "body"}},
  "paths": {slug: {"title", "intro"}}}}``

``validate_content()`` checks all of it and raises ``ValueError`` listing every problem.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from html.parser import HTMLParser
from typing import Any

from .blocks import body_words
from .lessons_billing import LESSONS_BILLING
from .lessons_operations import LESSONS_OPERATIONS
from .lessons_platform import LESSONS_PLATFORM
from .translations_fr import TRANSLATIONS_FR

PRODUCT_NAME = "Ledgerly"
DEFAULT_LOCALE = "en"

FEATURES: list[dict[str, str]] = [
    {
        "key": "invoices",
        "name": "Invoices",
        "description": "Create, brand, send and track invoices, credit notes and reminders.",
    },
    {
        "key": "recurring-billing",
        "name": "Recurring billing",
        "description": "Subscriptions and retainers billed on a schedule, with proration "
        "and dunning.",
    },
    {
        "key": "payments",
        "name": "Online payments",
        "description": "Card and bank-debit payments through Stripe or GoCardless, deposits "
        "and manual payments.",
    },
    {
        "key": "expenses",
        "name": "Expenses",
        "description": "Expenses and receipts from the mobile app, email and web, with categories.",
    },
    {
        "key": "bank-sync",
        "name": "Bank sync",
        "description": "Read-only bank feeds, transaction matching, rules and reconciliation.",
    },
    {
        "key": "reports",
        "name": "Reports",
        "description": "Profit and loss, cash flow, aged receivables, custom and scheduled "
        "reports, month-end close.",
    },
    {
        "key": "exports",
        "name": "Exports",
        "description": "Accountant packs, CSV presets and scheduled exports to cloud storage.",
    },
    {
        "key": "multi-currency",
        "name": "Multi-currency",
        "description": "Invoices and bank accounts in foreign currencies, exchange rates and "
        "revaluation.",
    },
    {
        "key": "taxes",
        "name": "Taxes",
        "description": "Sales tax, VAT and GST rates, reverse charge and tax return reports.",
    },
    {
        "key": "team-roles",
        "name": "Team & roles",
        "description": "Teammates, built-in and custom roles, approval workflows.",
    },
    {
        "key": "sso",
        "name": "Single sign-on",
        "description": "SAML single sign-on and SCIM user provisioning for Enterprise plans.",
    },
    {
        "key": "api-webhooks",
        "name": "API & webhooks",
        "description": "REST API keys, idempotent requests, webhooks and signature checks.",
    },
]

SIGNAL_KINDS = ("used", "error", "ticket", "lesson")

#: Events Waypoint handles without a mapping. ``property`` names the property that carries
#: the lesson slug or the feature key; ``weight`` is the default weight of the signal.
BUILTIN_EVENTS: dict[str, dict[str, Any]] = {
    "Lesson Viewed": {"kind": "lesson", "property": "lesson", "weight": 1.0},
    "Lesson Completed": {"kind": "lesson", "property": "lesson", "weight": 3.0},
    "Error Encountered": {"kind": "error", "property": "feature", "weight": 2.0},
    "Support Ticket Opened": {"kind": "ticket", "property": "feature", "weight": 3.0},
}


def _m(
    event: str,
    feature: str,
    kind: str = "used",
    weight: float = 1.0,
    prop: str = "",
    value: str = "",
) -> dict[str, Any]:
    return {
        "event_name": event,
        "property_name": prop,
        "property_value": value,
        "feature": feature,
        "kind": kind,
        "weight": weight,
    }


EVENT_MAPPINGS: list[dict[str, Any]] = [
    # invoices
    _m("Invoice Created", "invoices"),
    _m("Invoice Sent", "invoices"),
    _m("Invoice Send Failed", "invoices", "error", 2.0),
    _m("Credit Note Issued", "invoices", weight=1.5),
    # recurring billing
    _m("Subscription Created", "recurring-billing", weight=1.5),
    _m("Recurring Invoice Generated", "recurring-billing", weight=0.5),
    _m("Recurring Charge Failed", "recurring-billing", "error", 2.0),
    # payments
    _m("Payment Received", "payments"),
    _m("Payment Link Shared", "payments", weight=0.5),
    _m("Payment Failed", "payments", "error", 2.0),
    _m("Support Chat Started", "payments", "ticket", 3.0, "topic", "payments"),
    # expenses
    _m("Expense Recorded", "expenses"),
    _m("Receipt Uploaded", "expenses", weight=0.5),
    _m("Receipt Scan Failed", "expenses", "error", 1.5),
    # bank sync
    _m("Bank Account Connected", "bank-sync", weight=1.5),
    _m("Transactions Reconciled", "bank-sync"),
    _m("Bank Sync Failed", "bank-sync", "error", 2.0),
    _m("Support Chat Started", "bank-sync", "ticket", 3.0, "topic", "bank-sync"),
    # reports
    _m("Report Viewed", "reports"),
    _m("Report Scheduled", "reports", weight=1.5),
    _m("Report Timed Out", "reports", "error", 1.5),
    _m("Webinar Attended", "reports", "lesson", 2.0, "topic", "month-end-close"),
    # exports
    _m("Export Downloaded", "exports"),
    _m("Export Scheduled", "exports", weight=1.5),
    _m("Export Failed", "exports", "error", 2.0),
    # multi-currency
    _m("Invoice Sent", "multi-currency", "used", 1.0, "foreign_currency", "true"),
    _m("Currency Enabled", "multi-currency", weight=1.5),
    _m("Exchange Rate Overridden", "multi-currency"),
    _m("Currency Revaluation Failed", "multi-currency", "error", 2.0),
    # taxes
    _m("Tax Rate Created", "taxes"),
    _m("Tax Return Filed", "taxes", weight=1.5),
    _m("Tax Calculation Error", "taxes", "error", 2.0),
    _m("Settings Updated", "taxes", "used", 0.5, "section", "taxes"),
    # team and roles
    _m("Teammate Invited", "team-roles"),
    _m("Role Changed", "team-roles"),
    _m("Permission Denied", "team-roles", "error", 1.5),
    _m("Settings Updated", "team-roles", "used", 0.5, "section", "team"),
    # single sign-on
    _m("SSO Configured", "sso", weight=2.0),
    _m("SSO Login Succeeded", "sso", weight=0.5),
    _m("SSO Login Failed", "sso", "error", 2.0),
    _m("SCIM Sync Failed", "sso", "error", 2.0),
    # API and webhooks
    _m("API Key Created", "api-webhooks", weight=1.5),
    _m("API Log Viewed", "api-webhooks", weight=0.5),
    _m("API Request Failed", "api-webhooks", "error", 1.5),
    _m("Webhook Delivery Failed", "api-webhooks", "error", 2.0),
]

LESSONS: list[dict[str, Any]] = [*LESSONS_BILLING, *LESSONS_OPERATIONS, *LESSONS_PLATFORM]

PATHS: list[dict[str, Any]] = [
    {
        "slug": "first-week-with-ledgerly",
        "title": "Your first week with Ledgerly",
        "intro": "Eight short lessons that take you from an empty account to sending invoices, "
        "getting paid online, syncing your bank and reading your first report.",
        "audience_plan": "",
        "audience_feature": "",
        "lessons": [
            "set-up-your-business-profile",
            "create-your-first-invoice",
            "send-invoices-and-track-status",
            "accept-card-payments-online",
            "connect-your-bank",
            "record-expenses-and-receipts",
            "invite-your-team",
            "profit-and-loss-basics",
        ],
    },
    {
        "slug": "getting-paid-faster",
        "title": "Getting paid faster",
        "intro": "Shorten the time between sending an invoice and having the money: better "
        "invoices, online payments, reminders, deposits and a weekly look at who owes you.",
        "audience_plan": "starter",
        "audience_feature": "payments",
        "lessons": [
            "customize-invoice-templates",
            "send-invoices-and-track-status",
            "accept-card-payments-online",
            "automatic-payment-reminders",
            "partial-payments-and-deposits",
            "handle-failed-payments",
            "cash-flow-and-aged-receivables",
        ],
    },
    {
        "slug": "recurring-revenue",
        "title": "Running recurring revenue",
        "intro": "Retainers and subscriptions that bill themselves: schedules, plan changes "
        "with proration, and recovering failed charges before they become churn.",
        "audience_plan": "growth",
        "audience_feature": "recurring-billing",
        "lessons": [
            "set-up-recurring-invoices",
            "accept-card-payments-online",
            "manage-subscription-changes",
            "handle-failed-payments",
            "recover-failed-recurring-charges",
        ],
    },
    {
        "slug": "month-end-close",
        "title": "Month-end close",
        "intro": "A calm, repeatable close: reconciled banks, categorised expenses, reports "
        "you trust, a locked period and a clean handover to your accountant.",
        "audience_plan": "growth",
        "audience_feature": "reports",
        "lessons": [
            "connect-your-bank",
            "match-bank-transactions",
            "expense-categories-and-rules",
            "bank-rules-for-auto-categorization",
            "profit-and-loss-basics",
            "cash-flow-and-aged-receivables",
            "month-end-close-checklist",
            "export-to-your-accountant",
        ],
    },
    {
        "slug": "admin-and-security",
        "title": "Admin & security",
        "intro": "For account owners and IT: the right people with the right access, "
        "approvals, single sign-on and automatic provisioning.",
        "audience_plan": "enterprise",
        "audience_feature": "",
        "lessons": [
            "invite-your-team",
            "roles-and-permissions",
            "approval-workflows",
            "configure-saml-sso",
            "troubleshoot-sso-logins",
            "scim-user-provisioning",
        ],
    },
    {
        "slug": "developer-integration",
        "title": "Developer integration",
        "intro": "Connect your own systems to Ledgerly: authenticate, create invoices, react "
        "to webhooks securely, survive retries and feed your data warehouse.",
        "audience_plan": "",
        "audience_feature": "api-webhooks",
        "lessons": [
            "api-keys-and-authentication",
            "create-invoices-with-the-api",
            "receive-webhooks",
            "verify-webhook-signatures",
            "handle-rate-limits-and-idempotency",
            "scheduled-exports-to-cloud-storage",
        ],
    },
    {
        "slug": "going-international",
        "title": "Going international",
        "intro": "Sell abroad without accounting surprises: foreign-currency invoices, "
        "exchange rates, EU VAT and currency gains at period end.",
        "audience_plan": "",
        "audience_feature": "multi-currency",
        "lessons": [
            "add-foreign-currencies",
            "exchange-rates-and-overrides",
            "set-up-tax-rates",
            "eu-vat-and-reverse-charge",
            "realized-and-unrealized-fx-gains",
        ],
    },
    {
        "slug": "tax-ready",
        "title": "Tax-ready all year",
        "intro": "Set taxes up once, capture every deductible expense and file returns from "
        "figures you can explain, with your accountant in the loop.",
        "audience_plan": "",
        "audience_feature": "taxes",
        "lessons": [
            "set-up-your-business-profile",
            "set-up-tax-rates",
            "record-expenses-and-receipts",
            "expense-categories-and-rules",
            "eu-vat-and-reverse-charge",
            "prepare-a-tax-return-report",
            "export-to-your-accountant",
        ],
    },
]

TRANSLATIONS: dict[str, dict[str, dict[str, dict[str, Any]]]] = {"fr": TRANSLATIONS_FR}

LOCALES: list[str] = [DEFAULT_LOCALE, *TRANSLATIONS]

# --------------------------------------------------------------------------------------
# Lookups shared with the simulator and the loader
# --------------------------------------------------------------------------------------

LESSON_BY_SLUG: dict[str, dict[str, Any]] = {lesson["slug"]: lesson for lesson in LESSONS}
FEATURE_KEYS: list[str] = [f["key"] for f in FEATURES]


def lessons_for_feature(feature: str) -> list[dict[str, Any]]:
    """Lessons tagged with ``feature``, in catalogue (prerequisite-respecting) order."""
    return [lesson for lesson in LESSONS if feature in lesson["features"]]


def with_prerequisites(slugs: Iterable[str]) -> list[str]:
    """``slugs`` plus all their transitive prerequisites, in catalogue order."""
    wanted: set[str] = set()
    stack = list(slugs)
    while stack:
        slug = stack.pop()
        if slug in wanted:
            continue
        wanted.add(slug)
        stack.extend(LESSON_BY_SLUG[slug]["prerequisites"])
    return [lesson["slug"] for lesson in LESSONS if lesson["slug"] in wanted]


def count_quizzes(lessons: Sequence[Mapping[str, Any]] | None = None) -> int:
    """Number of lessons that carry at least one quiz block."""
    lessons = LESSONS if lessons is None else lessons
    return sum(1 for lesson in lessons if any(k == "quiz" for k, _ in lesson["body"]))


# --------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------

MIN_FEATURES = 10
MIN_LESSONS = 40
MIN_QUIZZES = 30
MIN_PATHS = 6
MIN_TRANSLATED_LESSONS = 8
MIN_TRANSLATED_PATHS = 2
MIN_WORDS, MAX_WORDS = 150, 400

LEVELS = ("beginner", "intermediate", "advanced")
PLANS = ("starter", "growth", "enterprise")
CALLOUT_STYLES = ("tip", "note", "warning")
CODE_LANGUAGES = ("bash", "python", "javascript", "json", "text")
BLOCK_TYPES = ("paragraph", "callout", "steps", "code", "video", "quiz", "try_it")
ALLOWED_TAGS = frozenset({"p", "strong", "em", "a", "ul", "li"})

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_LOCALE = re.compile(r"^[a-z]{2}(?:-[A-Z]{2})?$")
_BARE_AMP = re.compile(r"&(?!(?:amp|lt|gt|quot|nbsp|#\d+|#x[0-9a-fA-F]+);)")
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)")
_VIDEO_PREFIXES = ("https://www.youtube.com/watch?v=", "https://youtu.be/", "https://vimeo.com/")


class _RichTextChecker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"tag <{tag}> is not allowed")
            return
        names = [name for name, _ in attrs]
        if tag == "a":
            href = dict(attrs).get("href") or ""
            if names != ["href"]:
                self.problems.append("<a> must have exactly one attribute, href")
            if not (href.startswith(("https://", "http://", "/", "#", "mailto:"))):
                self.problems.append(f"link href {href!r} is not http(s), relative or mailto")
        elif attrs:
            self.problems.append(f"<{tag}> must not have attributes")
        self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.problems.append(f"self-closing <{tag}/> is not allowed")

    def handle_endtag(self, tag: str) -> None:
        if tag not in ALLOWED_TAGS:
            return
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"unbalanced </{tag}>")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if data.strip() and not self.stack:
            self.problems.append(f"text outside a block element: {data.strip()[:30]!r}")


def _check_rich_text(html: Any, where: str, errors: list[str]) -> None:
    if not isinstance(html, str) or not html.strip():
        errors.append(f"{where}: rich text must be a non-empty string")
        return
    if not html.startswith(("<p>", "<ul>")):
        errors.append(f"{where}: rich text must start with <p> or <ul>")
    if _BARE_AMP.search(html):
        errors.append(f"{where}: bare '&' must be written as &amp;")
    checker = _RichTextChecker()
    checker.feed(html)
    checker.close()
    if checker.stack:
        checker.problems.append(f"unclosed <{checker.stack[-1]}>")
    for problem in checker.problems:
        errors.append(f"{where}: {problem}")


def _check_plain(text: Any, where: str, errors: list[str], *, required: bool = True) -> None:
    if not isinstance(text, str):
        errors.append(f"{where}: must be a string")
    elif required and not text.strip():
        errors.append(f"{where}: must not be empty")
    elif "<" in text or ">" in text:
        errors.append(f"{where}: plain text must not contain HTML")


def _check_block(block: Any, where: str, errors: list[str]) -> None:
    if not (isinstance(block, tuple) and len(block) == 2 and isinstance(block[0], str)):
        errors.append(f"{where}: a block must be a (block_type, value) tuple")
        return
    kind, value = block
    where = f"{where} ({kind})"
    if kind not in BLOCK_TYPES:
        errors.append(f"{where}: unknown block type; expected one of {', '.join(BLOCK_TYPES)}")
        return
    if kind == "paragraph":
        _check_rich_text(value, where, errors)
        return
    if not isinstance(value, dict):
        errors.append(f"{where}: value must be a dict")
        return
    expected = {
        "callout": {"style", "text"},
        "steps": {"title", "steps"},
        "code": {"language", "code"},
        "video": {"url", "caption", "transcript"},
        "quiz": {"question", "choices", "explanation"},
        "try_it": {"label", "path", "description"},
    }[kind]
    if set(value) != expected:
        errors.append(f"{where}: keys must be {sorted(expected)}, got {sorted(value)}")
        return
    if kind == "callout":
        if value["style"] not in CALLOUT_STYLES:
            errors.append(f"{where}: style must be one of {', '.join(CALLOUT_STYLES)}")
        _check_rich_text(value["text"], f"{where} text", errors)
    elif kind == "steps":
        _check_plain(value["title"], f"{where} title", errors)
        items = value["steps"]
        if not isinstance(items, list) or len(items) < 2:
            errors.append(f"{where}: needs a list of at least 2 steps")
            return
        for i, step in enumerate(items, 1):
            if not isinstance(step, dict) or set(step) != {"title", "text"}:
                errors.append(f"{where} step {i}: must be a dict with title and text")
                continue
            _check_plain(step["title"], f"{where} step {i} title", errors)
            _check_rich_text(step["text"], f"{where} step {i} text", errors)
    elif kind == "code":
        if value["language"] not in CODE_LANGUAGES:
            errors.append(f"{where}: language must be one of {', '.join(CODE_LANGUAGES)}")
        if not isinstance(value["code"], str) or not value["code"].strip():
            errors.append(f"{where}: code must be a non-empty string")
    elif kind == "video":
        url = value["url"]
        if not isinstance(url, str) or not url.startswith(_VIDEO_PREFIXES):
            errors.append(f"{where}: url must be a YouTube or Vimeo https URL")
        _check_plain(value["caption"], f"{where} caption", errors)
        _check_plain(value["transcript"], f"{where} transcript", errors)
    elif kind == "quiz":
        _check_plain(value["question"], f"{where} question", errors)
        _check_plain(value["explanation"], f"{where} explanation", errors)
        choices = value["choices"]
        if not isinstance(choices, list) or not 2 <= len(choices) <= 6:
            errors.append(f"{where}: needs 2 to 6 choices")
            return
        for i, choice in enumerate(choices, 1):
            if (
                not isinstance(choice, dict)
                or set(choice) != {"text", "correct"}
                or not isinstance(choice["correct"], bool)
            ):
                errors.append(f"{where} choice {i}: must be {{'text': str, 'correct': bool}}")
                return
            _check_plain(choice["text"], f"{where} choice {i}", errors)
        if not any(choice["correct"] for choice in choices):
            errors.append(f"{where}: at least one choice must be correct")
        if all(choice["correct"] for choice in choices):
            errors.append(f"{where}: at least one choice must be wrong")
        texts = [choice["text"] for choice in choices]
        if len(set(texts)) != len(texts):
            errors.append(f"{where}: duplicate choices")
    elif kind == "try_it":
        _check_plain(value["label"], f"{where} label", errors)
        _check_plain(value["description"], f"{where} description", errors)
        path = value["path"]
        if not isinstance(path, str) or not path.startswith("/") or path.startswith("//"):
            errors.append(f"{where}: path must be an in-product path starting with a single /")


def _check_body(body: Any, where: str, errors: list[str]) -> None:
    if not isinstance(body, list) or not body:
        errors.append(f"{where}: body must be a non-empty list of blocks")
        return
    for i, block in enumerate(body, 1):
        _check_block(block, f"{where} block {i}", errors)
    if sum(1 for b in body if isinstance(b, tuple) and b and b[0] == "quiz") > 1:
        errors.append(f"{where}: at most one quiz per lesson")


def _find_cycle(graph: Mapping[str, Sequence[str]]) -> list[str] | None:
    """Return one cycle in ``graph`` (node -> prerequisites) as a list of nodes, or None."""
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done
    for root in graph:
        if state.get(root):
            continue
        stack: list[tuple[str, Iterator[str]]] = [(root, iter(graph.get(root, ())))]
        path = [root]
        state[root] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
                path.pop()
                continue
            if child not in graph:
                continue
            if state.get(child) == 1:
                return [*path[path.index(child) :], child]
            if not state.get(child):
                state[child] = 1
                stack.append((child, iter(graph.get(child, ()))))
                path.append(child)
    return None


def _block_shape(block: Any) -> Any:
    """The parts of a block a translation must keep identical."""
    if not (isinstance(block, tuple) and len(block) == 2):
        return None
    kind, value = block
    if kind == "steps" and isinstance(value, dict):
        return kind, len(value.get("steps") or [])
    if kind == "quiz" and isinstance(value, dict):
        return kind, tuple(bool(c.get("correct")) for c in value.get("choices") or [])
    if kind == "code" and isinstance(value, dict):
        return kind, value.get("language")
    if kind == "try_it" and isinstance(value, dict):
        return kind, value.get("path")
    if kind == "callout" and isinstance(value, dict):
        return kind, value.get("style")
    if kind == "video" and isinstance(value, dict):
        return kind, value.get("url")
    return kind


def validate_content(
    *,
    features: Sequence[Mapping[str, Any]] | None = None,
    mappings: Sequence[Mapping[str, Any]] | None = None,
    lessons: Sequence[Mapping[str, Any]] | None = None,
    paths: Sequence[Mapping[str, Any]] | None = None,
    translations: Mapping[str, Mapping[str, Any]] | None = None,
    minimums: bool = True,
) -> None:
    """Check the demo content; raise ``ValueError`` listing every problem found.

    Each argument defaults to this module's data, so tests can pass a modified copy of one
    part. ``minimums=False`` skips the catalogue-size checks (useful for tiny fixtures).
    """
    features = FEATURES if features is None else features
    mappings = EVENT_MAPPINGS if mappings is None else mappings
    lessons = LESSONS if lessons is None else lessons
    paths = PATHS if paths is None else paths
    translations = TRANSLATIONS if translations is None else translations
    errors: list[str] = []

    # features
    feature_keys: set[str] = set()
    for i, feature in enumerate(features, 1):
        key = feature.get("key")
        where = f"feature #{i} {key!r}"
        if not isinstance(key, str) or not _SLUG.match(key):
            errors.append(f"{where}: key must be a lowercase slug")
        elif key in feature_keys:
            errors.append(f"{where}: duplicate feature key")
        else:
            feature_keys.add(key)
        _check_plain(feature.get("name"), f"{where} name", errors)
        _check_plain(feature.get("description"), f"{where} description", errors)

    # event mappings
    seen_mappings: set[tuple[str, str, str]] = set()
    for i, mapping in enumerate(mappings, 1):
        name = mapping.get("event_name")
        where = f"event mapping #{i} {name!r}"
        if not isinstance(name, str) or not name.strip():
            errors.append(f"{where}: event_name must be a non-empty string")
            continue
        if name in BUILTIN_EVENTS:
            errors.append(f"{where}: built-in events are handled without a mapping")
        prop, value = mapping.get("property_name", ""), mapping.get("property_value", "")
        if not isinstance(prop, str) or not isinstance(value, str) or bool(prop) != bool(value):
            errors.append(f"{where}: property_name and property_value are both set or both ''")
        ident = (name, prop, value)
        if ident in seen_mappings:
            errors.append(f"{where}: duplicate mapping for {ident}")
        seen_mappings.add(ident)
        if mapping.get("feature") not in feature_keys:
            errors.append(f"{where}: unknown feature {mapping.get('feature')!r}")
        if mapping.get("kind") not in SIGNAL_KINDS:
            errors.append(f"{where}: kind must be one of {', '.join(SIGNAL_KINDS)}")
        weight = mapping.get("weight")
        if isinstance(weight, bool) or not isinstance(weight, int | float) or weight <= 0:
            errors.append(f"{where}: weight must be a positive number")

    # lessons
    slugs: list[str] = []
    graph: dict[str, list[str]] = {}
    for i, lesson in enumerate(lessons, 1):
        slug = lesson.get("slug")
        where = f"lesson #{i} {slug!r}"
        if not isinstance(slug, str) or not _SLUG.match(slug):
            errors.append(f"{where}: slug must be a lowercase slug")
            continue
        if slug in slugs:
            errors.append(f"{where}: duplicate slug")
        if slug in feature_keys:
            errors.append(f"{where}: slug must differ from feature keys (item ids would clash)")
        _check_plain(lesson.get("title"), f"{where} title", errors)
        summary = lesson.get("summary")
        _check_plain(summary, f"{where} summary", errors)
        if isinstance(summary, str) and len(_SENTENCE_END.findall(summary)) > 2:
            errors.append(f"{where}: summary must be 1-2 sentences")
        minutes = lesson.get("duration_minutes")
        if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= 10:
            errors.append(f"{where}: duration_minutes must be an integer from 1 to 10")
        if lesson.get("level") not in LEVELS:
            errors.append(f"{where}: level must be one of {', '.join(LEVELS)}")
        tagged = lesson.get("features")
        if not isinstance(tagged, list) or not tagged:
            errors.append(f"{where}: needs at least one feature")
        else:
            for key in tagged:
                if key not in feature_keys:
                    errors.append(f"{where}: unknown feature {key!r}")
            if len(set(tagged)) != len(tagged):
                errors.append(f"{where}: duplicate features")
        prereqs = lesson.get("prerequisites")
        if not isinstance(prereqs, list):
            errors.append(f"{where}: prerequisites must be a list")
            prereqs = []
        for pre in prereqs:
            if pre == slug:
                errors.append(f"{where}: a lesson cannot be its own prerequisite")
            elif pre not in slugs:
                errors.append(f"{where}: prerequisite {pre!r} is not an earlier lesson")
        graph[slug] = list(prereqs)
        _check_body(lesson.get("body"), where, errors)
        if isinstance(lesson.get("body"), list):
            try:
                words = body_words(lesson["body"])
            except (TypeError, KeyError, ValueError, AttributeError):
                words = None
            if words is not None and not MIN_WORDS <= words <= MAX_WORDS:
                errors.append(f"{where}: body has {words} words, expected {MIN_WORDS}-{MAX_WORDS}")
        slugs.append(slug)
    cycle = _find_cycle(graph)
    if cycle:
        errors.append("lesson prerequisites form a cycle: " + " -> ".join(cycle))

    # paths
    known = set(slugs)
    path_slugs: set[str] = set()
    for i, path in enumerate(paths, 1):
        slug = path.get("slug")
        where = f"path #{i} {slug!r}"
        if not isinstance(slug, str) or not _SLUG.match(slug):
            errors.append(f"{where}: slug must be a lowercase slug")
        elif slug in path_slugs or slug in known:
            errors.append(f"{where}: slug is not unique among lessons and paths")
        else:
            path_slugs.add(slug)
        _check_plain(path.get("title"), f"{where} title", errors)
        _check_plain(path.get("intro"), f"{where} intro", errors)
        if path.get("audience_plan") not in ("", *PLANS):
            errors.append(f"{where}: audience_plan must be '' or one of {', '.join(PLANS)}")
        if path.get("audience_feature") not in ("", *feature_keys):
            errors.append(f"{where}: audience_feature must be '' or a feature key")
        members = path.get("lessons")
        if not isinstance(members, list) or len(members) < 2:
            errors.append(f"{where}: needs at least 2 lessons")
            continue
        if len(set(members)) != len(members):
            errors.append(f"{where}: lists a lesson twice")
        for pos, member in enumerate(members):
            if member not in known:
                errors.append(f"{where}: unknown lesson {member!r}")
                continue
            for pre in graph.get(member, []):
                if pre in members and members.index(pre) > pos:
                    errors.append(f"{where}: {member!r} comes before its prerequisite {pre!r}")

    # translations
    by_slug = {lesson.get("slug"): lesson for lesson in lessons}
    for locale, content in translations.items():
        if not isinstance(locale, str) or not _LOCALE.match(locale) or locale == DEFAULT_LOCALE:
            errors.append(f"translation locale {locale!r}: must be a language code other than en")
        if not isinstance(content, Mapping) or not set(content) <= {"lessons", "paths"}:
            errors.append(f"translation {locale!r}: must be a dict with 'lessons' and 'paths'")
            continue
        for slug, item in (content.get("lessons") or {}).items():
            where = f"{locale} lesson {slug!r}"
            if slug not in by_slug:
                errors.append(f"{where}: unknown lesson")
                continue
            if not isinstance(item, Mapping) or set(item) != {"title", "summary", "body"}:
                errors.append(f"{where}: must have exactly title, summary and body")
                continue
            _check_plain(item["title"], f"{where} title", errors)
            _check_plain(item["summary"], f"{where} summary", errors)
            _check_body(item["body"], where, errors)
            original = by_slug[slug].get("body") or []
            if isinstance(item["body"], list):
                ours = [_block_shape(b) for b in item["body"]]
                theirs = [_block_shape(b) for b in original]
                if ours != theirs:
                    errors.append(
                        f"{where}: body must keep the original's blocks, steps, quiz answers, "
                        f"code languages and links ({ours} != {theirs})"
                    )
        for slug, item in (content.get("paths") or {}).items():
            where = f"{locale} path {slug!r}"
            if slug not in path_slugs:
                errors.append(f"{where}: unknown path")
                continue
            if not isinstance(item, Mapping) or set(item) != {"title", "intro"}:
                errors.append(f"{where}: must have exactly title and intro")
                continue
            _check_plain(item["title"], f"{where} title", errors)
            _check_plain(item["intro"], f"{where} intro", errors)

    if minimums:
        if len(feature_keys) < MIN_FEATURES:
            errors.append(f"need at least {MIN_FEATURES} features, have {len(feature_keys)}")
        if len(slugs) < MIN_LESSONS:
            errors.append(f"need at least {MIN_LESSONS} lessons, have {len(slugs)}")
        quizzes = count_quizzes([les for les in lessons if isinstance(les.get("body"), list)])
        if quizzes < MIN_QUIZZES:
            errors.append(f"need at least {MIN_QUIZZES} lessons with a quiz, have {quizzes}")
        if len(path_slugs) < MIN_PATHS:
            errors.append(f"need at least {MIN_PATHS} paths, have {len(path_slugs)}")
        for locale, content in translations.items():
            if not isinstance(content, Mapping):
                continue
            n_lessons = len(content.get("lessons") or {})
            n_paths = len(content.get("paths") or {})
            if n_lessons < MIN_TRANSLATED_LESSONS or n_paths < MIN_TRANSLATED_PATHS:
                errors.append(
                    f"translation {locale!r}: need at least {MIN_TRANSLATED_LESSONS} lessons "
                    f"and {MIN_TRANSLATED_PATHS} paths, have {n_lessons} and {n_paths}"
                )

    if errors:
        raise ValueError(
            f"demo content has {len(errors)} problem(s):\n" + "\n".join(f"- {e}" for e in errors)
        )
