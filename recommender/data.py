"""From stored usage events to the numeric core's arrays (the only place that reads them).

Customers are keyed by their internal id and columns by the event's ``signal`` (see
``UsageEvent``), so a model artifact holds no personal data.
"""

from dataclasses import dataclass
from datetime import datetime

import numpy as np
from django.db import connection

from education.customers.models import Customer
from education.events.models import UsageEvent
from education.progress.models import LessonProgress, LessonStatus, PinnedLesson
from education.workspaces.models import Workspace

# Fold-in uses a customer's most recent events; older ones have decayed away anyway.
FOLD_IN_EVENT_LIMIT = 500


@dataclass(frozen=True)
class EventArrays:
    """Parallel arrays, one entry per event, oldest first."""

    customer_keys: np.ndarray
    column_keys: np.ndarray
    kinds: np.ndarray
    weights: np.ndarray
    timestamps: np.ndarray  # epoch seconds

    @property
    def size(self) -> int:
        return int(self.column_keys.shape[0])


def _epoch_sql(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"EXTRACT(EPOCH FROM {column})::float8"
    # julianday keeps sub-second precision (and has no % for the driver to misread).
    return f"((julianday({column}) - 2440587.5) * 86400.0)"


def workspace_events(
    *, workspace: Workspace, since: datetime | None, until: datetime
) -> EventArrays:
    """Every event of the workspace in [since, until), oldest first, in one query."""
    table = UsageEvent._meta.db_table
    sql = (
        f"SELECT customer_id, signal, kind, weight, {_epoch_sql('timestamp')} "  # noqa: S608
        f"FROM {table} WHERE workspace_id = %s AND timestamp < %s"
    )
    params: list = [workspace.pk, until]
    if since is not None:
        sql += " AND timestamp >= %s"
        params.append(since)
    sql += " ORDER BY timestamp, id"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if not rows:
        empty = np.zeros(0)
        return EventArrays(empty.astype(str), empty.astype(str), empty.astype(str), empty, empty)
    customers, signals, kinds, weights, timestamps = zip(*rows, strict=True)
    return EventArrays(
        customer_keys=np.array(customers, dtype=np.int64).astype(str),
        column_keys=np.array(signals, dtype=str),
        kinds=np.array(kinds, dtype=str),
        weights=np.array(weights, dtype=np.float64),
        timestamps=np.array(timestamps, dtype=np.float64),
    )


def customer_events(*, customer: Customer) -> EventArrays:
    """The customer's most recent events, oldest first, for fold-in and content picks.

    One raw query returning epoch seconds: parsing hundreds of datetimes through the ORM
    would cost more than the whole recommendation.
    """
    table = UsageEvent._meta.db_table
    sql = (
        f"SELECT signal, kind, weight, {_epoch_sql('timestamp')} FROM {table} "  # noqa: S608
        "WHERE customer_id = %s ORDER BY timestamp DESC LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [customer.pk, FOLD_IN_EVENT_LIMIT])
        rows = cursor.fetchall()[::-1]
    key = str(customer.pk)
    return EventArrays(
        customer_keys=np.full(len(rows), key),
        column_keys=np.array([row[0] for row in rows], dtype=str),
        kinds=np.array([row[1] for row in rows], dtype=str),
        weights=np.array([row[2] for row in rows], dtype=np.float64),
        timestamps=np.array([row[3] for row in rows], dtype=np.float64),
    )


@dataclass(frozen=True)
class LessonState:
    completed: set[int]
    pins: list[tuple[int, str]]  # (lesson id, reason), newest first


def customer_lesson_state(*, customer: Customer, now: datetime) -> LessonState:
    """Completed lessons and active pins in one round trip (both sit on every request)."""
    progress = LessonProgress._meta.db_table
    pins = PinnedLesson._meta.db_table
    sql = (
        f"SELECT 0, lesson_id, '', NULL FROM {progress} "  # noqa: S608
        "WHERE customer_id = %s AND status = %s "
        f"UNION ALL SELECT 1, lesson_id, reason, pinned_at FROM {pins} "
        "WHERE customer_id = %s AND (expires_at IS NULL OR expires_at > %s)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [customer.pk, LessonStatus.COMPLETED, customer.pk, now])
        rows = cursor.fetchall()
    pinned = sorted((row for row in rows if row[0] == 1), key=lambda row: str(row[3]), reverse=True)
    return LessonState(
        completed={row[1] for row in rows if row[0] == 0},
        pins=[(row[1], row[2]) for row in pinned],
    )


def customer_key(customer: Customer) -> str:
    return str(customer.pk)
