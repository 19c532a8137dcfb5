"""A workspace's events for training: millions of rows into numpy arrays, fast.

SQLite (the embedded default, small data) reads plain rows. PostgreSQL sends the events
as one binary value (``string_agg`` of each event's fixed-width binary form): sending
millions of rows would cost a Python round of the driver per row, while one aggregate
costs the server little more than scanning them, and numpy reads the bytes as records
without a loop (a quarter cheaper for the server than one ``array_agg`` per column,
whose elements each carry a length). Signals travel as their 32-bit ``hashtext``
(resolved against the workspace's distinct signals, read beside them), kinds as the code
of their first letter. No sort and no join: no plan can go wrong on a table without
statistics yet.
"""

import math
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import numpy as np
import psycopg
from django.db import connection

from education.events.models import UsageEvent
from education.workspaces.models import Workspace
from recommender.core.matrix import KINDS, Coded
from recommender.data import EventArrays, epoch_sql, events_empty

_TABLE = UsageEvent._meta.db_table
# Events per aggregated value: 300 MB, well below PostgreSQL's 1 GB limit on one value.
_EVENTS_PER_PART = 10_000_000
_POSTGRES_EPOCH = 946_684_800.0  # 2000-01-01 in Unix seconds
# Kinds travel as the code of their first letter, which tells them apart.
_KIND_NAMES = np.array(sorted(KINDS))
_KIND_OF_LETTER = np.full(128, int(np.searchsorted(_KIND_NAMES, "used")), dtype=np.int64)
_KIND_OF_LETTER[[ord(name[0]) for name in _KIND_NAMES]] = np.arange(_KIND_NAMES.size)
assert len({name[0] for name in KINDS}) == len(KINDS), "kinds must differ in their first letter"
# One event in PostgreSQL's binary (big-endian) forms: customer id, signal hash, kind
# letter, weight, time (a timestamptz is microseconds since 2000-01-01 UTC). Every column
# is NOT NULL, so no event's bytes go missing from the aggregate.
_EVENT = np.dtype(
    [("customer", ">i8"), ("signal", ">i4"), ("kind", ">i2"), ("weight", ">f8"), ("moment", ">i8")]
)
_EVENT_BYTES = (
    "int8send(customer_id) || int4send(hashtext(signal || %s)) || int2send(ascii(kind)::int2)"
    " || float8send(weight::float8) || timestamptz_send(timestamp)"
)


def workspace_events(
    *, workspace: Workspace, since: datetime | None, until: datetime
) -> EventArrays:
    """Every event of the workspace in [since, until)."""
    window = "workspace_id = %s AND timestamp < %s" + (" AND timestamp >= %s" if since else "")
    params = [workspace.pk, until] + ([since] if since else [])
    if connection.vendor == "postgresql":
        return _postgres_events(window, params)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT customer_id, signal, kind, weight, {epoch_sql('timestamp')} "  # noqa: S608
            f"FROM {_TABLE} WHERE {window} ORDER BY timestamp, id",
            params,
        )
        rows = cursor.fetchall()
    if not rows:
        return events_empty()
    customers, signals, kinds, weights, timestamps = zip(*rows, strict=True)
    return EventArrays(
        customer_keys=np.array(customers, dtype=np.int64),
        column_keys=np.array(signals, dtype=str),
        kinds=np.array(kinds, dtype=str),
        weights=np.array(weights, dtype=np.float64),
        timestamps=np.array(timestamps, dtype=np.float64),
    )


def _postgres_events(window: str, params: list) -> EventArrays:
    """The arrays come in parts (customer id modulo the parts), read on their own database
    connections while this one reads the distinct signals: both cores work."""
    parts = _parts()
    if connection.in_atomic_block:
        # Other connections would not see this transaction's writes: read them here.
        signals, salt, hashes = _signals(window, params)
        results = [_events_part(window, params, salt, parts, part) for part in range(parts)]
    else:
        with ThreadPoolExecutor(max_workers=parts) as pool:
            futures = [
                pool.submit(_on_own_connection, _events_part, window, params, "", parts, part)
                for part in range(parts)
            ]
            signals, salt, hashes = _signals(window, params)
            results = [future.result() for future in futures]
        if salt:  # two signals share a hash: read again with a salt that separates them
            results = [_events_part(window, params, salt, parts, part) for part in range(parts)]
    if signals.size == 0:
        return events_empty()
    events = np.concatenate(results)
    customers, signal_hashes, letters, weights, moments = (
        events[name].astype(_EVENT[name].newbyteorder("=")) for name in _EVENT.names
    )
    codes = _codes_of(hashes, signal_hashes)
    # A signal first stored after the list of signals was read waits for the next training.
    known = codes >= 0
    if not known.all():
        customers, codes, letters = customers[known], codes[known], letters[known]
        weights, moments = weights[known], moments[known]
    return EventArrays(
        customer_keys=customers,
        column_keys=Coded(signals, codes),
        kinds=Coded(_KIND_NAMES, _KIND_OF_LETTER[np.clip(letters, 0, 127)]),
        weights=weights,
        timestamps=moments / 1e6 + _POSTGRES_EPOCH,
    )


def _codes_of(hashes: np.ndarray, values: np.ndarray) -> np.ndarray:
    """The position of each of ``values`` in ``hashes`` (distinct), -1 where absent."""
    by_hash = np.argsort(hashes)
    sorted_hashes = hashes[by_hash].astype(values.dtype)  # same widths: a faster search
    positions = np.minimum(np.searchsorted(sorted_hashes, values), hashes.size - 1)
    return np.where(sorted_hashes[positions] == values, by_hash[positions], -1)


def _parts() -> int:
    """At least two (one per core), more if one part's value could near the 1 GB limit."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [_TABLE])
        estimate = cursor.fetchone()[0]  # -1 before the first ANALYZE
    return max(2, math.ceil(max(estimate, 0) / _EVENTS_PER_PART))


def _on_own_connection(function, *args):
    try:
        return function(*args)
    finally:
        connection.close()  # this thread's connection


def _signals(window: str, params: list) -> tuple[np.ndarray, str, np.ndarray]:
    """The distinct signals (sorted), a salt under which their hashes differ, the hashes."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT signal FROM {_TABLE} WHERE {window}", params)  # noqa: S608
        signals = np.sort(np.array([row[0] for row in cursor.fetchall()], dtype=str))
        for attempt in range(8):
            salt = f"#{attempt}" if attempt else ""
            cursor.execute(
                "SELECT hashtext(name || %s) FROM unnest(%s::text[]) WITH ORDINALITY "
                "AS s(name, n) ORDER BY n",
                [salt, signals.tolist()],
            )
            hashes = np.array([row[0] for row in cursor.fetchall()], dtype=np.int64)
            if np.unique(hashes).size == hashes.size:
                return signals, salt, hashes
    raise RuntimeError("could not find collision-free hashes for the workspace's signals")


def _events_part(window: str, params: list, salt: str, parts: int, part: int) -> np.ndarray:
    """One part of the events, as records of ``_EVENT``."""
    query = (
        f"SELECT string_agg({_EVENT_BYTES}, ''::bytea) FROM {_TABLE} "  # noqa: S608
        f"WHERE {window} AND customer_id %% %s = %s"
    )
    connection.ensure_connection()
    # Binary results (no hex for bytea) need a server-side-binding cursor; Django binds
    # client-side.
    with psycopg.Cursor(connection.connection) as cursor:
        (data,) = cursor.execute(query, [salt, *params, parts, part], binary=True).fetchone()
    return event_records(data)


def event_records(data: bytes | None) -> np.ndarray:
    """The events of one aggregated value (None: no rows), checked for whole records."""
    if not data:
        return np.zeros(0, dtype=_EVENT)
    if len(data) % _EVENT.itemsize:
        raise ValueError("the events' bytes are not whole records")
    return np.frombuffer(data, dtype=_EVENT)
