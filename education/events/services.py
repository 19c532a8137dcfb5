"""Writes about usage events: ingestion, rejected payloads, remapping history."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime

from django.db import DatabaseError, OperationalError, connection, transaction
from django.db.models import Q

from education.customers.identity import identity_hash
from education.emails.services import triggers_evaluate_soon
from education.events.models import RejectedEvent, UsageEvent
from education.events.payloads import (
    EVENT_TYPES,
    MAX_STORED_RAW_CHARS,
    Message,
    ParsedRequest,
    Rejection,
)
from education.events.profiles import customers_ensure, profiles_apply
from education.events.selectors import (
    IngestSettings,
    event_mapping_table,
    ingest_settings_for,
    ingest_settings_forget,
    suppressed_identity_hashes,
)
from education.events.writers import EventRow, usage_events_insert
from education.workspaces.models import Workspace
from recommender.freshness import customers_changed

logger = logging.getLogger(__name__)

# Deadlock and serialization failures are safe to retry at once: the transaction left
# nothing behind. Other database errors go back to the client as 503.
_RETRYABLE_SQLSTATES = frozenset({"40P01", "40001"})
_ATTEMPTS = 3
# SQLite has one writer at a time; in one process, threads take turns here rather than
# fail on the lock (and a test server sharing one in-memory connection needs it).
_sqlite_writer = threading.Lock()
# Remapping waits this long after a mapping change, so that requests which read the old
# mappings (they are cached per workspace) have committed before history is rewritten.
_REMAP_DELAY_SECONDS = 5


@dataclass
class IngestResult:
    accepted: int = 0
    rejected: int = 0
    duplicates: int = 0
    suppressed: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


@contextmanager
def _write_transaction() -> Iterator[None]:
    """A durable transaction: when it exits normally, the rows are committed."""
    if connection.vendor != "sqlite":
        with transaction.atomic(durable=True):
            yield
        return
    with _sqlite_writer:
        if connection.in_atomic_block:  # inside a test's transaction
            with transaction.atomic(durable=True):
                yield
            return
        # BEGIN IMMEDIATE takes the write lock up front, waiting for other processes;
        # a deferred BEGIN would fail outright when its first read turned into a write.
        connection.ensure_connection()
        previous_mode = connection.transaction_mode
        connection.transaction_mode = "IMMEDIATE"
        try:
            with transaction.atomic(durable=True):
                connection.transaction_mode = previous_mode
                yield
        finally:
            connection.transaction_mode = previous_mode


def _identities(message: Message) -> Iterator[str]:
    for identity in (message.user_id, message.anonymous_id, message.previous_id):
        if identity:
            yield identity


def _without_suppressed(*, workspace_id: int, messages: list[Message]) -> list[Message]:
    hashes = {
        identity: identity_hash(workspace_id=workspace_id, external_id=identity)
        for message in messages
        for identity in _identities(message)
    }
    suppressed = suppressed_identity_hashes(workspace_id=workspace_id, hashes=hashes.values())
    if not suppressed:
        return messages
    return [
        message
        for message in messages
        if not any(hashes[identity] in suppressed for identity in _identities(message))
    ]


def _event_rows(
    *,
    workspace_id: int,
    messages: list[Message],
    customer_ids: dict[str, int],
    settings: IngestSettings,
    received_at: datetime,
) -> list[EventRow]:
    resolve = settings.mappings.resolve
    rows: dict[str, EventRow] = {}
    for message in messages:
        if message.message_id in rows:
            continue  # repeated inside the batch: the first one counts
        signal = resolve(message.event, message.properties)
        rows[message.message_id] = EventRow(
            workspace_id,
            customer_ids[message.customer_external_id],
            message.message_id,
            message.event,
            signal.feature_key,
            signal.kind,
            signal.signal,
            signal.weight,
            message.timestamp,
            message.original_timestamp,
            received_at,
            message.properties or {},
            message.context,
        )
    return list(rows.values())


def _triggers_hand_off(
    *, workspace_id: int, rows: list[EventRow], watched: frozenset[tuple[str, str]]
) -> None:
    """Customers whose events an email trigger watches get their triggers checked now."""
    if not watched:
        return
    customer_ids = {row.customer_id for row in rows if (row.feature_key, row.kind) in watched}
    if customer_ids:
        triggers_evaluate_soon(workspace_id=workspace_id, customer_ids=customer_ids)


def _rejections_create(*, workspace_id: int, rejections: list[Rejection], at: datetime) -> None:
    RejectedEvent.objects.bulk_create(
        [
            RejectedEvent(
                workspace_id=workspace_id,
                message_id=rejection.message_id,
                reason=rejection.reason[:500],
                payload=rejection.payload,
                raw=rejection.raw,
                received_at=at,
            )
            for rejection in rejections
        ]
    )


def usage_events_ingest(
    *,
    workspace_id: int,
    parsed: ParsedRequest,
    received_at: datetime,
    settings: IngestSettings | None = None,
) -> IngestResult:
    """Store a request's calls; return once they are committed.

    track/page/screen become UsageEvents (new ones only: (workspace, messageId) is
    unique); identify/group/alias update customers and accounts; invalid events are kept
    as RejectedEvents; calls about erased customers are acknowledged and dropped.
    """
    settings = settings or ingest_settings_for(workspace_id=workspace_id)
    messages = _without_suppressed(workspace_id=workspace_id, messages=parsed.messages)
    result = IngestResult(
        rejected=len(parsed.rejections), suppressed=len(parsed.messages) - len(messages)
    )
    events = [message for message in messages if message.type in EVENT_TYPES]
    profiles = [message for message in messages if message.type not in EVENT_TYPES]

    for attempt in range(1, _ATTEMPTS + 1):
        try:
            with _write_transaction():
                customer_ids = customers_ensure(
                    workspace_id=workspace_id, messages=messages, seen_at=received_at
                )
                rows = _event_rows(
                    workspace_id=workspace_id,
                    messages=events,
                    customer_ids=customer_ids,
                    settings=settings,
                    received_at=received_at,
                )
                inserted = usage_events_insert(rows)
                profiles_apply(
                    workspace_id=workspace_id,
                    messages=profiles,
                    customer_ids=customer_ids,
                    seen_at=received_at,
                )
                if parsed.rejections:
                    _rejections_create(
                        workspace_id=workspace_id, rejections=parsed.rejections, at=received_at
                    )
            break
        except OperationalError as exc:
            sqlstate = getattr(exc.__cause__, "sqlstate", None)
            if sqlstate not in _RETRYABLE_SQLSTATES or attempt == _ATTEMPTS:
                raise
            logger.info("ingestion: retrying after %s", sqlstate)

    customers_changed(customer_ids.values())
    _triggers_hand_off(workspace_id=workspace_id, rows=rows, watched=settings.trigger_signals)
    result.duplicates = len(events) - inserted
    result.accepted = len(messages) - result.duplicates
    return result


def rejected_request_record(
    *, workspace_id: int, reason: str, message_id: str = "", raw: bytes = b""
) -> None:
    """Keep a trace of a whole request refused with a 400, so the workspace can see why.

    Best effort: the client gets its 400 whether or not this is stored.
    """
    text = raw[:MAX_STORED_RAW_CHARS].decode("utf-8", "replace").replace("\x00", "\\u0000")
    try:
        RejectedEvent.objects.create(
            workspace_id=workspace_id, message_id=message_id, reason=reason[:500], raw=text
        )
    except DatabaseError:
        logger.warning("ingestion: could not record a rejected request", exc_info=True)


def usage_events_remap(*, workspace: Workspace, chunk_size: int = 2000) -> int:
    """Re-apply the workspace's current mappings to its stored events; return rows changed.

    Only events whose name is mapped now, or whose signal came from a mapping or a
    built-in name, can change; the others keep ``event:<name>``.
    """
    table = event_mapping_table(workspace_id=workspace.pk)
    candidates = (
        UsageEvent.objects.filter(workspace=workspace)
        .filter(Q(name__in=table.event_names) | ~Q(signal__startswith="event:"))
        .values_list("pk", "name", "properties", "feature_key", "kind", "signal", "weight")
        .order_by("pk")
    )
    changed = 0
    last_pk = 0
    while True:
        chunk = list(candidates.filter(pk__gt=last_pk)[:chunk_size])
        if not chunk:
            return changed
        last_pk = chunk[-1][0]
        updates = []
        for pk, name, properties, feature_key, kind, signal_key, weight in chunk:
            signal = table.resolve(name, properties)
            if (signal.feature_key, signal.kind, signal.signal, signal.weight) != (
                feature_key,
                kind,
                signal_key,
                weight,
            ):
                updates.append(
                    UsageEvent(
                        pk=pk,
                        feature_key=signal.feature_key,
                        kind=signal.kind,
                        signal=signal.signal,
                        weight=signal.weight,
                    )
                )
        if updates:
            with transaction.atomic():
                UsageEvent.objects.bulk_update(updates, ["feature_key", "kind", "signal", "weight"])
            changed += len(updates)


def event_mappings_changed(*, workspace_id: int) -> None:
    """After an author changes mappings: new events use them, and history is remapped."""
    from education.events.tasks import remap_usage_events

    def after_commit() -> None:
        ingest_settings_forget(workspace_id=workspace_id)
        remap_usage_events.apply_async(args=[workspace_id], countdown=_REMAP_DELAY_SECONDS)

    transaction.on_commit(after_commit)
