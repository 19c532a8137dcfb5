"""Reads about usage events, rejected events and what ingestion needs per workspace."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import F, Lookup, Q, QuerySet

from education.customers.models import SuppressedIdentity
from education.events.mapping import MappingRule, MappingTable
from education.events.models import RejectedEvent, UsageEvent
from education.shared_cache import cached
from education.workspaces.models import Workspace

# Ingestion reads a workspace's settings and mappings on every request; a short cache keeps
# that off the database. Mapping changes delete the entry at once (see services).
_INGEST_SETTINGS_CACHE_SECONDS = 60


@dataclass(frozen=True)
class IngestSettings:
    rate_limit_per_second: int
    mappings: MappingTable
    # (feature key, signal kind) pairs watched by email triggers: events that carry one
    # are handed to the trigger check after they commit.
    trigger_signals: frozenset[tuple[str, str]] = frozenset()


class _EqualsAny(Lookup):
    lookup_name = "equals_any"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", [*lhs_params, list(self.rhs)]


def any_of(field: str, values: list[str]) -> Q | Lookup:
    """``field IN values``; on PostgreSQL as ``= ANY(array)``: one parameter instead of one
    per value, which keeps client-side query binding cheap for 100-value batches."""
    if connection.vendor == "postgresql":
        return _EqualsAny(F(field), list(values))
    return Q(**{f"{field}__in": list(values)})


def _ingest_settings_key(workspace_id: int) -> str:
    return f"ingest-settings:{workspace_id}"


def event_mapping_table(*, workspace_id: int) -> MappingTable:
    """The workspace's EventMapping snippets as a lookup table (one query)."""
    from cms.models import EventMapping  # the snippets live in the CMS app

    rows = EventMapping.objects.filter(workspace_id=workspace_id).values_list(
        "event_name", "property_name", "property_value", "feature__key", "kind", "weight"
    )
    return MappingTable.from_rules(MappingRule(*row) for row in rows)


def ingest_settings_for(*, workspace_id: int) -> IngestSettings:
    from education.emails.selectors import trigger_signals_of

    def load() -> IngestSettings:
        rate_limit = (
            Workspace.objects.filter(pk=workspace_id)
            .values_list("ingest_rate_limit", flat=True)
            .first()
        )
        return IngestSettings(
            rate_limit_per_second=rate_limit or settings.INGEST_RATE_LIMIT_PER_SECOND,
            mappings=event_mapping_table(workspace_id=workspace_id),
            trigger_signals=trigger_signals_of(workspace_id=workspace_id),
        )

    return cached(_ingest_settings_key(workspace_id), load, _INGEST_SETTINGS_CACHE_SECONDS)


def ingest_settings_forget(*, workspace_id: int) -> None:
    cache.delete(_ingest_settings_key(workspace_id))


def suppressed_identity_hashes(*, workspace_id: int, hashes: Iterable[str]) -> set[str]:
    """Which of ``hashes`` belong to erased customers (one query)."""
    hashes = list(hashes)
    if not hashes:
        return set()
    return set(
        SuppressedIdentity.objects.filter(
            any_of("identity_hash", hashes), workspace_id=workspace_id
        ).values_list("identity_hash", flat=True)
    )


def rejected_events_for(workspace: Workspace) -> QuerySet[RejectedEvent]:
    """A workspace's rejected payloads, newest first."""
    return RejectedEvent.objects.filter(workspace=workspace).order_by("-received_at", "-pk")


def rejected_events_for_workspaces(workspaces: QuerySet[Workspace]) -> QuerySet[RejectedEvent]:
    return (
        RejectedEvent.objects.filter(workspace__in=workspaces)
        .select_related("workspace")
        .order_by("-received_at", "-pk")
    )


def usage_events_for(workspace: Workspace) -> QuerySet[UsageEvent]:
    return UsageEvent.objects.filter(workspace=workspace)
