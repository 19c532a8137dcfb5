"""Writes about workspaces: creation and key rotation."""

from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from education.crypto import encrypt, hash_secret, new_token
from education.errors import ApplicationError
from education.workspaces.models import CredentialKind, Workspace, WorkspaceCredential
from education.workspaces.selectors import keys_local

_PREFIXES = {
    CredentialKind.WRITE_KEY: "wk",
    CredentialKind.PUBLISHABLE_KEY: "pk",
    CredentialKind.SIGNING_SECRET: "ss",
}


@dataclass(frozen=True)
class IssuedKeys:
    """Plain-text keys, shown once to whoever created or rotated them."""

    write_key: str
    publishable_key: str
    signing_secret: str


def _credential_issue(*, workspace: Workspace, kind: str) -> str:
    value = new_token(_PREFIXES[kind])
    credential = WorkspaceCredential(workspace=workspace, kind=kind, hint=value[-6:])
    if kind == CredentialKind.WRITE_KEY:
        credential.lookup = hash_secret(value)
    elif kind == CredentialKind.PUBLISHABLE_KEY:
        credential.lookup = value
    else:
        credential.secret_encrypted = encrypt(value)
    credential.save()
    return value


def _unique_slug(name: str) -> str:
    base = slugify(name)[:50] or "workspace"
    slug, n = base, 1
    while Workspace.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def workspace_create(*, name: str, slug: str = "", **fields) -> tuple[Workspace, IssuedKeys]:
    """Create a workspace with fresh keys, its authors group and its learning hub."""
    from cms.services import learning_hub_create  # cms builds on workspaces

    workspace = Workspace.objects.create(name=name, slug=slug or _unique_slug(name), **fields)
    keys = IssuedKeys(
        write_key=_credential_issue(workspace=workspace, kind=CredentialKind.WRITE_KEY),
        publishable_key=_credential_issue(workspace=workspace, kind=CredentialKind.PUBLISHABLE_KEY),
        signing_secret=_credential_issue(workspace=workspace, kind=CredentialKind.SIGNING_SECRET),
    )
    learning_hub_create(workspace=workspace)
    return workspace, keys


@transaction.atomic
def workspace_credential_rotate(
    *, workspace: Workspace, kind: str, overlap: timedelta | None = None
) -> str:
    """Issue a new key of ``kind``; the current ones keep working for ``overlap``."""
    if overlap is None:
        overlap = timedelta(hours=settings.KEY_ROTATION_OVERLAP_HOURS)
    now = timezone.now()
    current = WorkspaceCredential.objects.filter(workspace=workspace, kind=kind).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now + overlap)
    )
    lookups = list(current.values_list("lookup", flat=True))
    current.update(expires_at=now + overlap)
    value = _credential_issue(workspace=workspace, kind=kind)
    transaction.on_commit(lambda: _forget_cached_keys(workspace, kind, lookups))
    return value


def _forget_cached_keys(workspace: Workspace, kind: str, lookups: list[str]) -> None:
    keys = [f"workspace-key:{kind}:{lookup}" for lookup in lookups]
    keys.append(f"workspace-signing:{workspace.pk}")
    cache.delete_many(keys)
    for key in keys:
        keys_local.forget(key)


def _origin_normalised(origin: str) -> str:
    """``scheme://host[:port]``, lower case; anything else is refused."""
    parts = urlsplit(origin.strip())
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
        or parts.username
    ):
        raise ApplicationError(
            f"{origin!r} is not an origin: give scheme, host and port only, "
            "e.g. https://app.example.com",
            code="invalid_origin",
        )
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{parts.hostname}{port}".lower()


def workspace_origins_set(*, workspace: Workspace, origins: list[str]) -> list[str]:
    """Replace the origins the widget may be embedded on (applies within a minute)."""
    normalised = list(dict.fromkeys(_origin_normalised(origin) for origin in origins))
    workspace.allowed_origins = normalised
    workspace.save(update_fields=["allowed_origins"])
    return normalised
