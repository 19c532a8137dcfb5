"""A workspace's events for training: millions of rows into numpy arrays, fast.

SQLite (the embedded default, small data) reads plain rows. PostgreSQL sends each column
of the events as one binary array (``array_agg``): sending millions of rows would cost a
Python round of the driver per row, while an aggregate of fixed-width values costs the
server little more than scanning them, and numpy reads the arrays' binary form without a
loop. Signals travel as their 32-bit ``hashtext`` (resolved against the workspace's
distinct signals, read beside them), kinds as the code of their first letter. No sort and
no join: no plan can go wrong on a table without statistics yet.
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
# Events per aggregated array: well below PostgreSQL's 1 GB limit on one value.
_EVENTS_PER_PART = 20_000_000
_POSTGRES_EPOCH = 946_684_800.0  # 2000-01-01 in Unix seconds
# Kinds travel as the code of their first letter, which tells them apart.
_KIND_NAMES = np.array(sorted(KINDS))
_KIND_OF_LETTER = np.full(128, int(np.searchsorted(_KIND_NAMES, "used")), dtype=np.int64)
_KIND_OF_LETTER[[ord(name[0]) for name in _KIND_NAMES]] = np.arange(_KIND_NAMES.size)
assert len({name[0] for name in KINDS}) == len(KINDS), "kinds must differ in their first letter"
# (expression, binary element type): customer id, signal hash, kind letter, weight, time
# (a timestamptz travels as microseconds since 2000-01-01 UTC).
_ARRAYS = (
    ("customer_id::int8", ">i8"),
    ("hashtext(signal || %s)", ">i4"),
    ("ascii(kind)", ">i4"),
    ("weight::float8", ">f8"),
    ("timestamp", ">i8"),
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
        results = [_arrays(window, params, salt, parts, part) for part in range(parts)]
    else:
        with ThreadPoolExecutor(max_workers=parts) as pool:
            futures = [
                pool.submit(_on_own_connection, _arrays, window, params, "", parts, part)
                for part in range(parts)
            ]
            signals, salt, hashes = _signals(window, params)
            results = [future.result() for future in futures]
        if salt:  # two signals share a hash: read again with a salt that separates them
            results = [_arrays(window, params, salt, parts, part) for part in range(parts)]
    if signals.size == 0:
        return events_empty()
    customers, signal_hashes, letters, weights, moments = (
        np.concatenate([result[n] for result in results]) for n in range(len(_ARRAYS))
    )
    by_hash = np.argsort(hashes)
    positions = np.minimum(np.searchsorted(hashes[by_hash], signal_hashes), hashes.size - 1)
    # A signal first stored after the list of signals was read waits for the next training.
    known = hashes[by_hash][positions] == signal_hashes
    if not known.all():
        customers, positions, letters = customers[known], positions[known], letters[known]
        weights, moments = weights[known], moments[known]
    return EventArrays(
        customer_keys=customers,
        column_keys=Coded(signals, by_hash[positions]),
        kinds=Coded(_KIND_NAMES, _KIND_OF_LETTER[np.clip(letters, 0, 127)]),
        weights=weights,
        timestamps=moments / 1e6 + _POSTGRES_EPOCH,
    )


def _parts() -> int:
    """At least two (one per core), more if one array could near the 1 GB limit."""
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


def _arrays(window: str, params: list, salt: str, parts: int, part: int) -> list[np.ndarray]:
    """One part of the events, as one numpy array per entry of ``_ARRAYS``."""
    arrays = ", ".join(f"array_send(array_agg({expression}))" for expression, _ in _ARRAYS)
    query = f"SELECT {arrays} FROM {_TABLE} WHERE {window} AND customer_id %% %s = %s"  # noqa: S608
    connection.ensure_connection()
    # Binary results (no hex for bytea) need a server-side-binding cursor; Django binds
    # client-side.
    with psycopg.Cursor(connection.connection) as cursor:
        row = cursor.execute(query, [salt, *params, parts, part], binary=True).fetchone()
    return [
        _binary_array(data, dtype) for data, (_expression, dtype) in zip(row, _ARRAYS, strict=True)
    ]


def _binary_array(data: bytes | None, dtype: str) -> np.ndarray:
    """The values of a one-dimensional array in PostgreSQL's binary form (``array_send``):
    a header, then each element's byte length and value; NULL elements are refused."""
    native = np.dtype(dtype).newbyteorder("=")
    if not data:  # array_agg of no rows
        return np.zeros(0, dtype=native)
    dimensions = int.from_bytes(data[0:4], "big")
    if dimensions != 1:
        raise ValueError("expected a one-dimensional array")
    size = int.from_bytes(data[12:16], "big")
    items = np.frombuffer(data, dtype=[("length", ">i4"), ("value", dtype)], offset=20, count=size)
    if (items["length"] != native.itemsize).any():
        raise ValueError("unexpected NULL or width in a binary array")
    return items["value"].astype(native)
