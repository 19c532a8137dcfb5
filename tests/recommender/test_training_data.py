"""Reading a workspace's events for training: every event of the window, exactly once,
however it travels (plain rows on SQLite, binary records on PostgreSQL)."""

import datetime as dt
import struct

import numpy as np
import pytest
from django.db import connection
from django.utils import timezone

from education.events.models import UsageEvent
from recommender.core.matrix import Coded
from recommender.training_data import event_records, workspace_events
from tests.factories import CustomerFactory, WorkspaceFactory
from tests.recommender.conftest import add_events

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the binary record reader is PostgreSQL's"
)


def _decoded(keys) -> list:
    return (keys.decoded() if isinstance(keys, Coded) else np.asarray(keys)).tolist()


def _read(workspace, since=None) -> list[tuple]:
    events = workspace_events(workspace=workspace, since=since, until=timezone.now())
    return sorted(
        zip(
            [int(key) for key in _decoded(events.customer_keys)],
            _decoded(events.column_keys),
            _decoded(events.kinds),
            events.weights.tolist(),
            events.timestamps.tolist(),
            strict=True,
        )
    )


def _stored(workspace, since=None) -> list[tuple]:
    rows = UsageEvent.objects.filter(workspace=workspace, timestamp__lt=timezone.now())
    if since is not None:
        rows = rows.filter(timestamp__gte=since)
    return sorted(
        (row.customer_id, row.signal, row.kind, row.weight, row.timestamp.timestamp())
        for row in rows
    )


def _same(read: list[tuple], stored: list[tuple]) -> bool:
    """Equal rows; times to the millisecond (SQLite's julianday arithmetic rounds)."""
    return [row[:4] for row in read] == [row[:4] for row in stored] and all(
        abs(a[4] - b[4]) < 0.002 for a, b in zip(read, stored, strict=True)
    )


def _world():
    workspace, other = WorkspaceFactory(), WorkspaceFactory()
    first, second = CustomerFactory(workspace=workspace), CustomerFactory(workspace=workspace)
    add_events(first, [("used:invoices", "used", 1.0), ("error:exports", "error", 2.5)], 3)
    add_events(second, [("used:invoices", "used", 1.0), ("lesson:7", "lesson", 1.0)], 1)
    add_events(second, [("ticket:exports", "ticket", 1.0)], 40)
    # Another workspace's events never come along.
    add_events(CustomerFactory(workspace=other), [("used:secret", "used", 9.0)], 1)
    return workspace


@pytest.mark.django_db
def test_every_event_of_the_window_is_read_once_with_its_signal_kind_weight_and_time():
    workspace = _world()
    since = timezone.now() - dt.timedelta(days=10)

    assert _same(_read(workspace), _stored(workspace))
    assert len(_read(workspace)) == 5
    assert _same(_read(workspace, since=since), _stored(workspace, since=since))
    assert len(_read(workspace, since=since)) == 4


@pytest.mark.django_db
def test_a_workspace_without_events_reads_empty():
    assert (
        workspace_events(workspace=WorkspaceFactory(), since=None, until=timezone.now()).size == 0
    )


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_parts_are_read_on_their_own_connections():
    workspace = _world()

    assert not connection.in_atomic_block
    assert _same(_read(workspace), _stored(workspace))


@postgres_only
@pytest.mark.django_db
def test_signals_whose_hashes_collide_are_told_apart():
    # hashtext('used:f47429') = hashtext('used:f159145'): found by search, kept apart by a salt.
    workspace = WorkspaceFactory()
    customer = CustomerFactory(workspace=workspace)
    add_events(customer, [("used:f47429", "used", 1.0), ("used:f159145", "used", 3.0)])
    with connection.cursor() as cursor:
        cursor.execute("SELECT hashtext('used:f47429') = hashtext('used:f159145')")
        assert cursor.fetchone()[0]

    read = _read(workspace)

    assert [(signal, weight) for _c, signal, _k, weight, _t in read] == [
        ("used:f159145", 3.0),
        ("used:f47429", 1.0),
    ]


def test_event_records_are_read_whole_or_refused():
    record = (
        (7).to_bytes(8, "big")
        + (-3).to_bytes(4, "big", signed=True)
        + ord("u").to_bytes(2, "big")
        + struct.pack(">d", 2.5)
        + (10**6).to_bytes(8, "big")
    )

    events = event_records(record * 2)

    assert events.size == 2
    assert (int(events["customer"][1]), int(events["signal"][1])) == (7, -3)
    assert (int(events["kind"][0]), float(events["weight"][0])) == (ord("u"), 2.5)
    assert event_records(None).size == 0
    with pytest.raises(ValueError, match="whole records"):
        event_records(record + record[:5])
