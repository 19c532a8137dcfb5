"""Bulk insert of usage events, deduplicated on (workspace, message_id), per database.

PostgreSQL: COPY into a per-connection temporary table, then one
``INSERT ... SELECT ... ON CONFLICT DO NOTHING`` (COPY is several times faster than any
INSERT form, and the temporary table gives it the deduplication COPY lacks). SQLite:
``bulk_create(ignore_conflicts=True)``. Both return how many rows were new.
"""

from __future__ import annotations

import json
import weakref
from collections.abc import Sequence
from datetime import datetime
from functools import cache
from typing import Any, NamedTuple

from django.db import connection, transaction

from education.events.models import UsageEvent


class EventRow(NamedTuple):
    workspace_id: int
    customer_id: int
    message_id: str
    name: str
    feature_key: str
    kind: str
    signal: str
    weight: float
    timestamp: datetime
    original_timestamp: datetime | None
    received_at: datetime
    properties: dict[str, Any]
    context: dict[str, Any]


_STAGING_TABLE = "waypoint_ingest_staging"


def usage_events_insert(rows: Sequence[EventRow]) -> int:
    """Insert the rows that are new; return how many were. Runs in the caller's transaction."""
    if not rows:
        return 0
    if connection.vendor == "postgresql":
        return _insert_postgresql(rows)
    return _insert_orm(rows)


def _insert_orm(rows: Sequence[EventRow]) -> int:
    # SQLite reports rows changed per connection: the difference is what was inserted.
    with connection.cursor() as cursor:
        cursor.execute("SELECT total_changes()")
        before = cursor.fetchone()[0]
        UsageEvent.objects.bulk_create(
            [UsageEvent(**row._asdict()) for row in rows], ignore_conflicts=True
        )
        cursor.execute("SELECT total_changes()")
        return cursor.fetchone()[0] - before


def _staging_columns() -> list[tuple[str, str]]:
    fields = [UsageEvent._meta.get_field(name) for name in EventRow._fields]
    return [(field.column, field.db_type(connection)) for field in fields]


@cache
def _postgresql_statements() -> tuple[Any, Any, Any]:
    from psycopg import sql  # only on PostgreSQL

    columns = _staging_columns()
    column_list = sql.SQL(", ").join(sql.Identifier(column) for column, _ in columns)
    staging = sql.Identifier(_STAGING_TABLE)
    create = sql.SQL("CREATE TEMPORARY TABLE IF NOT EXISTS {} ({}) ON COMMIT DELETE ROWS").format(
        staging,
        sql.SQL(", ").join(
            sql.SQL("{} {}").format(sql.Identifier(column), sql.SQL(db_type))
            for column, db_type in columns
        ),
    )
    copy = sql.SQL("COPY {} ({}) FROM STDIN").format(staging, column_list)
    # Emptying the staging table in the same statement keeps a second call in one
    # transaction from re-reading these rows. Sorted: concurrent batches take the
    # unique-index locks in one order, so they cannot deadlock on each other.
    insert = sql.SQL(
        "WITH staged AS (DELETE FROM {staging} RETURNING {columns}) "
        "INSERT INTO {table} ({columns}) "
        "SELECT {columns} FROM staged ORDER BY workspace_id, message_id "
        "ON CONFLICT (workspace_id, message_id) DO NOTHING"
    ).format(staging=staging, columns=column_list, table=sql.Identifier(UsageEvent._meta.db_table))
    return create, copy, insert


# Database connections (psycopg objects) whose staging table exists: connections persist,
# so the table is created once per connection, not per request. Added only after a
# commit, since a rolled-back transaction takes the table with it.
_staged_connections: weakref.WeakSet = weakref.WeakSet()


def _insert_postgresql(rows: Sequence[EventRow]) -> int:
    create, copy_into_staging, insert = _postgresql_statements()
    json_dumps = json.dumps
    with connection.cursor() as cursor, connection.wrap_database_errors:
        database_connection = connection.connection
        if database_connection not in _staged_connections:
            cursor.execute(create)
            transaction.on_commit(lambda: _staged_connections.add(database_connection))
        with cursor.copy(copy_into_staging) as copy:
            for row in rows:
                copy.write_row((*row[:11], json_dumps(row.properties), json_dumps(row.context)))
        cursor.execute(insert)
        return cursor.rowcount
