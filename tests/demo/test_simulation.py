"""The Ledgerly customer simulator is deterministic, well-formed and learnable."""

from __future__ import annotations

import csv
import statistics
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta

import pytest

from education.demo.content import FEATURE_KEYS, LESSON_BY_SLUG, LESSONS
from education.demo.simulation import (
    KNOWN_EVENT_NAMES,
    PERSONA_BY_NAME,
    PERSONA_LESSONS,
    PERSONAS,
    SimulatedCustomer,
    signal_for_event,
    simulate_customers,
    write_interactions_csv,
)

NOW = datetime(2025, 6, 2, 9, 30, tzinfo=UTC)
DAYS = 90


@pytest.fixture(scope="module")
def customers() -> list[SimulatedCustomer]:
    return list(simulate_customers(600, seed=7, now=NOW, days=DAYS))


def _fingerprint(batch):
    return [
        (
            c.user_id,
            c.persona,
            c.traits,
            [
                (e["event"], e["timestamp"], e["messageId"], tuple(sorted(e["properties"].items())))
                for e in c.events
            ],
        )
        for c in batch
    ]


def test_personas_are_well_formed():
    assert len(PERSONAS) >= 6
    assert abs(sum(p.share for p in PERSONAS) - 1.0) < 1e-9
    for persona in PERSONAS:
        assert set(persona.features) <= set(FEATURE_KEYS)
        assert set(persona.struggles) <= set(persona.features)
        assert abs(sum(persona.locales.values()) - 1.0) < 1e-9
        assert persona.locales["en"] > 0.5 and persona.locales.get("fr", 0) > 0
        order = [lesson["slug"] for lesson in LESSONS]
        slugs = [slug for slug, _ in PERSONA_LESSONS[persona.name]]
        assert slugs == sorted(slugs, key=order.index)  # prerequisite order
        assert all(0 < prob <= 0.95 for _, prob in PERSONA_LESSONS[persona.name])


def test_deterministic_for_a_seed_and_prefix_stable():
    first = list(simulate_customers(40, seed=11, now=NOW))
    again = list(simulate_customers(40, seed=11, now=NOW))
    assert _fingerprint(first) == _fingerprint(again)
    longer = list(simulate_customers(60, seed=11, now=NOW))
    assert _fingerprint(longer[:40]) == _fingerprint(first)
    other = list(simulate_customers(40, seed=12, now=NOW))
    assert _fingerprint(other) != _fingerprint(first)


def test_now_must_be_aware():
    with pytest.raises(ValueError):
        next(simulate_customers(1, now=datetime(2025, 1, 1)))  # noqa: DTZ001


def test_events_are_well_formed(customers):
    start = NOW - timedelta(days=DAYS)
    message_ids = set()
    total = 0
    for customer in customers:
        assert customer.user_id.startswith("ledgerly-u-")
        timestamps = [e["timestamp"] for e in customer.events]
        assert timestamps == sorted(timestamps)
        for event in customer.events:
            total += 1
            assert set(event) == {"event", "properties", "timestamp", "messageId"}
            assert event["event"] in KNOWN_EVENT_NAMES
            ts = event["timestamp"]
            assert ts.tzinfo is not None
            assert start < ts <= NOW
            message_ids.add(event["messageId"])
            assert signal_for_event(event["event"], event["properties"]) is not None
            if event["event"].startswith("Lesson "):
                assert event["properties"]["lesson"] in LESSON_BY_SLUG
            if event["event"] in ("Error Encountered", "Support Ticket Opened"):
                assert event["properties"]["feature"] in FEATURE_KEYS
    assert len(message_ids) == total
    assert 30 <= total / len(customers) <= 80


def test_traits(customers):
    emails = [c.traits["email"] for c in customers]
    assert len(set(emails)) == len(emails)
    assert all(e.endswith("@example.com") and "." in e.split("@")[0] for e in emails)
    locales = Counter(c.traits["locale"] for c in customers)
    assert set(locales) == {"en", "fr"} and locales["en"] > 3 * locales["fr"]
    assert 0.75 < sum(c.traits["email_consent"] for c in customers) / len(customers) < 0.97
    assert {c.traits["plan"] for c in customers} == {"starter", "growth", "enterprise"}
    assert {c.persona for c in customers} == set(PERSONA_BY_NAME)
    for c in customers:
        assert c.traits["plan"] in PERSONA_BY_NAME[c.persona].plans
    accounts = Counter(c.traits["account_id"] for c in customers)
    assert max(accounts.values()) > 1  # teams share an account
    datetime.fromisoformat(customers[0].traits["created_at"])


def test_lessons_follow_prerequisites_and_views(customers):
    for customer in customers:
        viewed: set[str] = set()
        completed: set[str] = set()
        for event in customer.events:
            slug = event["properties"].get("lesson")
            if event["event"] == "Lesson Viewed":
                viewed.add(slug)
            elif event["event"] == "Lesson Completed":
                assert slug in viewed
                assert slug not in completed
                completed.add(slug)


def _rate(group, predicate):
    return sum(1 for c in group for slug in c.completed_lessons if predicate(slug)) / len(group)


def test_persona_structure_is_visible(customers):
    by_persona = defaultdict(list)
    for customer in customers:
        by_persona[customer.persona].append(customer)

    def api(slug):
        return "api-webhooks" in LESSON_BY_SLUG[slug]["features"]

    def sso(slug):
        return "sso" in LESSON_BY_SLUG[slug]["features"]

    assert _rate(by_persona["developer"], api) > 0.5
    developer, freelancer = by_persona["developer"], by_persona["freelancer"]
    assert _rate(developer, api) > 10 * (_rate(freelancer, api) + 0.01)
    admins, agencies = by_persona["enterprise-admin"], by_persona["agency"]
    assert _rate(admins, sso) > 5 * (_rate(agencies, sso) + 0.01)

    # customers of one persona complete similar lessons: more overlap within than across
    def profile(group):
        counts = Counter(slug for c in group for slug in set(c.completed_lessons))
        return {slug: n / len(group) for slug, n in counts.items()}

    def cosine(a, b):
        dot = sum(a[k] * b.get(k, 0.0) for k in a)
        norm = (sum(v * v for v in a.values()) * sum(v * v for v in b.values())) ** 0.5
        return dot / norm if norm else 0.0

    dev_a, dev_b = by_persona["developer"][::2], by_persona["developer"][1::2]
    assert cosine(profile(dev_a), profile(dev_b)) > 0.85
    assert cosine(profile(by_persona["developer"]), profile(by_persona["finance-team"])) < 0.6


def test_lessons_are_predictable_from_feature_usage(customers):
    def uses(customer, feature):
        return any(
            (signal_for_event(e["event"], e["properties"]) or ("",))[0] == f"used:{feature}"
            for e in customer.events
        )

    def bank(slug):
        return LESSON_BY_SLUG[slug]["features"][0] == "bank-sync"

    users = [c for c in customers if uses(c, "bank-sync")]
    others = [c for c in customers if not uses(c, "bank-sync")]
    assert users and others
    assert _rate(users, bank) > 5 * (_rate(others, bank) + 0.01)


def test_completed_lessons_save_errors_and_tickets(customers):
    before = {"used": 0, "error": 0, "ticket": 0}
    after = {"used": 0, "error": 0, "ticket": 0}
    tickets_after_errors = tickets = 0
    for customer in customers:
        done_at = {}
        for event in customer.events:
            if event["event"] == "Lesson Completed":
                for feature in LESSON_BY_SLUG[event["properties"]["lesson"]]["features"]:
                    done_at.setdefault(feature, event["timestamp"])
        last_error = {}
        for event in customer.events:
            signal = signal_for_event(event["event"], event["properties"])
            kind, _, feature = signal[0].partition(":")
            if kind == "error":
                last_error[feature] = event["timestamp"]
            if kind == "ticket":
                tickets += 1
                seen = last_error.get(feature)
                if seen is not None and event["timestamp"] - seen < timedelta(days=3):
                    tickets_after_errors += 1
            if feature in done_at and kind in before:
                bucket = after if event["timestamp"] > done_at[feature] else before
                bucket[kind] += 1
    assert tickets > 20 and tickets_after_errors / tickets > 0.6
    error_rate_before = before["error"] / before["used"]
    error_rate_after = after["error"] / after["used"]
    assert error_rate_after < 0.5 * error_rate_before
    assert after["ticket"] / after["used"] < 0.6 * before["ticket"] / before["used"]


def test_activity_is_front_loaded_for_new_accounts(customers):
    start = NOW - timedelta(days=DAYS)
    first, later = [], []
    for customer in customers:
        created = datetime.fromisoformat(customer.traits["created_at"])
        if not start < created < NOW - timedelta(days=45):
            continue
        first.append(sum(1 for e in customer.events if e["timestamp"] < created + timedelta(14)))
        later.append(
            sum(
                1
                for e in customer.events
                if created + timedelta(28) <= e["timestamp"] < created + timedelta(42)
            )
        )
    assert len(first) > 20
    assert statistics.mean(first) > 1.3 * statistics.mean(later)


def test_timestamps_follow_local_working_hours(customers):
    from zoneinfo import ZoneInfo

    hours = Counter()
    for customer in customers[:200]:
        tz = ZoneInfo(customer.traits["timezone"])
        for event in customer.events:
            hours[event["timestamp"].astimezone(tz).hour] += 1
    working = sum(n for h, n in hours.items() if 8 <= h < 19)
    assert working / sum(hours.values()) > 0.75


def test_signal_for_event_mappings():
    assert signal_for_event("Invoice Sent", {"foreign_currency": "true"}) == (
        "used:multi-currency",
        1.0,
    )
    assert signal_for_event("Invoice Sent", {"foreign_currency": "false"}) == ("used:invoices", 1.0)
    assert signal_for_event("Bank Sync Failed", {}) == ("error:bank-sync", 2.0)
    assert signal_for_event("Support Chat Started", {"topic": "bank-sync"}) == (
        "ticket:bank-sync",
        3.0,
    )
    assert signal_for_event("Support Chat Started", {"topic": "weather"}) is None
    assert signal_for_event("Lesson Completed", {"lesson": "connect-your-bank"}) == (
        "lesson:connect-your-bank",
        3.0,
    )
    assert signal_for_event("Error Encountered", {"feature": "taxes"})[0] == "error:taxes"
    assert signal_for_event("Support Ticket Opened", {"feature": "sso"})[0] == "ticket:sso"
    assert signal_for_event("Error Encountered", {}) is None
    assert signal_for_event("Dashboard Opened", {}) == ("event:Dashboard Opened", 1.0)


def test_write_interactions_csv(tmp_path, customers):
    sample = customers[:50]
    path = tmp_path / "out" / "interactions.csv"
    rows = write_interactions_csv(path, sample)
    assert rows == sum(len(c.events) for c in sample)
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == ["user_id", "item_id", "timestamp", "weight"]
        lines = list(reader)
    assert len(lines) == rows
    kinds = Counter(line["item_id"].split(":", 1)[0] for line in lines)
    assert set(kinds) <= {"lesson", "used", "error", "ticket"}
    assert kinds["lesson"] and kinds["used"] and kinds["error"]
    for line in lines:
        assert line["user_id"].startswith("ledgerly-u-")
        assert float(line["weight"]) > 0
        stamp = datetime.fromisoformat(line["timestamp"])
        assert stamp.utcoffset() == timedelta(0)
        if line["item_id"].startswith("lesson:"):
            assert line["item_id"][len("lesson:") :] in LESSON_BY_SLUG
