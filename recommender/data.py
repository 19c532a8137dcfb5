"""From stored usage events to the numeric core's arrays (the only place that reads them).

Customers are keyed by their internal id and columns by the event's ``signal`` (see
``UsageEvent``), so a model artifact holds no personal data.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from django.db import connection

from education.customers.models import Customer
from education.events.models import UsageEvent
from education.progress.models import LessonProgress, LessonStatus, PathEnrolment, PinnedLesson
from recommender.core.matrix import Keys

# Fold-in uses a customer's most recent events; older ones have decayed away anyway.
FOLD_IN_EVENT_LIMIT = 500


@dataclass(frozen=True)
class EventArrays:
    """Parallel arrays, one entry per event (a customer's are oldest first; a workspace's,
    read for training, in storage order: their timestamps say when)."""

    customer_keys: Keys  # customer ids (ints, or their strings)
    column_keys: Keys  # signals (``used:invoices``, ``lesson:12``...)
    kinds: Keys
    weights: np.ndarray
    timestamps: np.ndarray  # epoch seconds

    @property
    def size(self) -> int:
        return int(self.column_keys.shape[0])


def epoch_sql(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"EXTRACT(EPOCH FROM {column})::float8"
    # julianday keeps sub-second precision (and has no % for the driver to misread).
    return f"((julianday({column}) - 2440587.5) * 86400.0)"


def events_empty() -> EventArrays:
    empty = np.zeros(0)
    return EventArrays(empty.astype(str), empty.astype(str), empty.astype(str), empty, empty)


def customer_events(*, customer: Customer) -> EventArrays:
    """The customer's most recent events, oldest first, for fold-in and content picks.

    One raw query returning epoch seconds: parsing hundreds of datetimes through the ORM
    would cost more than the whole recommendation.
    """
    with connection.cursor() as cursor:
        cursor.execute(*_events_query(customer.pk))
        rows = cursor.fetchall()
    return _customer_event_arrays(customer.pk, rows[::-1])


def _events_query(customer_id: int) -> tuple[str, list]:
    table = UsageEvent._meta.db_table
    # The id breaks timestamp ties, so the single and the batch readers keep the same events.
    sql = (
        f"SELECT signal, kind, weight, {epoch_sql('timestamp')} FROM {table} "  # noqa: S608
        "WHERE customer_id = %s ORDER BY timestamp DESC, id DESC LIMIT %s"
    )
    return sql, [customer_id, FOLD_IN_EVENT_LIMIT]


def customer_state_and_events(
    *, customer: Customer, now: datetime, events: bool
) -> tuple["LessonState", EventArrays | None]:
    """``customer_lesson_state`` and, if ``events``, ``customer_events``: on PostgreSQL in
    one round trip (both statements in one request), which is most of a recommendation's
    wait for the database."""
    if not events or connection.vendor != "postgresql":
        state = customer_lesson_state(customer=customer, now=now)
        return state, customer_events(customer=customer) if events else None
    state_sql, state_params = _lesson_state_query([customer.pk], now)
    events_sql, events_params = _events_query(customer.pk)
    with connection.cursor() as cursor:
        cursor.execute(f"{state_sql}; {events_sql}", [*state_params, *events_params])
        state_rows = cursor.fetchall()
        cursor.nextset()
        event_rows = cursor.fetchall()
    state = _lesson_state([row[1:] for row in state_rows])
    return state, _customer_event_arrays(customer.pk, event_rows[::-1])


def customers_events(*, customer_ids: Sequence[int]) -> dict[int, EventArrays]:
    """``customer_events`` of many customers in one query (every id gets an entry)."""
    if not customer_ids:
        return {}
    table = UsageEvent._meta.db_table
    sql = (
        f"SELECT customer_id, signal, kind, weight, at FROM (SELECT customer_id, signal, "  # noqa: S608
        f"kind, weight, {epoch_sql('timestamp')} AS at, row_number() OVER "
        "(PARTITION BY customer_id ORDER BY timestamp DESC, id DESC) AS recency "
        f"FROM {table} WHERE customer_id IN ({_placeholders(customer_ids)})) recent "
        "WHERE recency <= %s ORDER BY customer_id, recency DESC"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*customer_ids, FOLD_IN_EVENT_LIMIT])
        rows = cursor.fetchall()
    return {
        customer_id: _customer_event_arrays(customer_id, events)
        for customer_id, events in _by_customer(customer_ids, rows).items()
    }


def _customer_event_arrays(customer_id: int, rows: list) -> EventArrays:
    """One customer's (signal, kind, weight, epoch seconds) rows, oldest first, as arrays."""
    return EventArrays(
        customer_keys=np.full(len(rows), str(customer_id)),
        column_keys=np.array([row[0] for row in rows], dtype=str),
        kinds=np.array([row[1] for row in rows], dtype=str),
        weights=np.array([row[2] for row in rows], dtype=np.float64),
        timestamps=np.array([row[3] for row in rows], dtype=np.float64),
    )


def _placeholders(values: Sequence) -> str:
    return ", ".join(["%s"] * len(values))


def _by_customer(customer_ids: Sequence[int], rows: list[tuple]) -> dict[int, list[tuple]]:
    """Rows whose first column is the customer id, grouped; every customer gets a list."""
    grouped: dict[int, list[tuple]] = {customer_id: [] for customer_id in customer_ids}
    for customer_id, *rest in rows:
        grouped[customer_id].append(tuple(rest))
    return grouped


@dataclass(frozen=True)
class LessonState:
    completed: set[int]
    pins: list[tuple[int, str]]  # (lesson id, reason), newest first
    enrolled_path_ids: set[int]  # authored paths (page ids) followed and not finished


def customer_lesson_state(*, customer: Customer, now: datetime) -> LessonState:
    """Completed lessons, active pins and open path enrolments in one round trip (all sit
    on every request)."""
    return customers_lesson_state(customer_ids=[customer.pk], now=now)[customer.pk]


def customers_lesson_state(*, customer_ids: Sequence[int], now: datetime) -> dict[int, LessonState]:
    """``customer_lesson_state`` of many customers in one query (every id gets an entry)."""
    if not customer_ids:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(*_lesson_state_query(customer_ids, now))
        rows = cursor.fetchall()
    return {
        customer_id: _lesson_state(customer_rows)
        for customer_id, customer_rows in _by_customer(customer_ids, rows).items()
    }


def _lesson_state_query(customer_ids: Sequence[int], now: datetime) -> tuple[str, list]:
    progress = LessonProgress._meta.db_table
    pins = PinnedLesson._meta.db_table
    enrolments = PathEnrolment._meta.db_table
    ids = _placeholders(customer_ids)
    sql = (
        f"SELECT customer_id, 0, lesson_id, '', NULL FROM {progress} "  # noqa: S608
        f"WHERE customer_id IN ({ids}) AND status = %s "
        f"UNION ALL SELECT customer_id, 1, lesson_id, reason, pinned_at FROM {pins} "
        f"WHERE customer_id IN ({ids}) AND (expires_at IS NULL OR expires_at > %s) "
        f"UNION ALL SELECT customer_id, 2, path_id, '', NULL FROM {enrolments} "
        f"WHERE customer_id IN ({ids}) AND completed_at IS NULL"
    )
    return sql, [*customer_ids, LessonStatus.COMPLETED, *customer_ids, now, *customer_ids]


def _lesson_state(rows: list) -> LessonState:
    pinned = sorted((row for row in rows if row[0] == 1), key=lambda row: str(row[3]), reverse=True)
    return LessonState(
        completed={row[1] for row in rows if row[0] == 0},
        pins=[(row[1], row[2]) for row in pinned],
        enrolled_path_ids={row[1] for row in rows if row[0] == 2},
    )


def customer_key(customer: Customer) -> str:
    return str(customer.pk)
