"""Reads about workspaces and their keys."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from education.crypto import decrypt, hash_secret
from education.local_cache import LocalCache
from education.shared_cache import cached
from education.workspaces.models import CredentialKind, Workspace, WorkspaceCredential

# Key lookups sit on every ingestion and API request; a short cache keeps them off the
# database while a revoked key still stops working within a minute.
_KEY_CACHE_SECONDS = 60
# In front of the shared cache, in each process, for a few seconds (see local_cache).
keys_local = LocalCache(seconds=10)


def _active_credentials(kind: str) -> QuerySet[WorkspaceCredential]:
    now = timezone.now()
    return WorkspaceCredential.objects.filter(kind=kind).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    )


def _workspace_id_for(kind: str, lookup: str) -> int | None:
    cache_key = f"workspace-key:{kind}:{lookup}"
    return keys_local.get(cache_key, lambda: _workspace_id_shared(kind, lookup, cache_key))


def _workspace_id_shared(kind: str, lookup: str, cache_key: str) -> int | None:
    def load() -> int:
        found = _active_credentials(kind).filter(lookup=lookup).values_list("workspace_id")
        return (found.first() or (0,))[0]  # 0 remembers an unknown key

    return cached(cache_key, load, _KEY_CACHE_SECONDS) or None


def workspace_id_for_write_key(write_key: str) -> int | None:
    """The workspace a secret write key belongs to, or None (unknown or expired)."""
    if not write_key:
        return None
    return _workspace_id_for(CredentialKind.WRITE_KEY, hash_secret(write_key))


def workspace_for_write_key(write_key: str) -> Workspace | None:
    workspace_id = workspace_id_for_write_key(write_key)
    return Workspace.objects.filter(pk=workspace_id).first() if workspace_id else None


def workspace_for_publishable_key(publishable_key: str) -> Workspace | None:
    if not publishable_key:
        return None
    workspace_id = _workspace_id_for(CredentialKind.PUBLISHABLE_KEY, publishable_key)
    return Workspace.objects.filter(pk=workspace_id).first() if workspace_id else None


def workspace_signing_secrets(workspace: Workspace) -> tuple[str, ...]:
    """Active signing secrets, newest first (the first signs, any verifies)."""
    cache_key = f"workspace-signing:{workspace.pk}"
    return keys_local.get(cache_key, lambda: _signing_secrets_shared(workspace, cache_key))


def _signing_secrets_shared(workspace: Workspace, cache_key: str) -> tuple[str, ...]:
    def load() -> list[str]:
        rows = _active_credentials(CredentialKind.SIGNING_SECRET).filter(workspace=workspace)
        return [decrypt(row.secret_encrypted) for row in rows.order_by("-created_at")]

    return tuple(cached(cache_key, load, _KEY_CACHE_SECONDS))
