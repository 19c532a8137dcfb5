"""Who is calling: a product's backend (secret write key) or one customer (token).

Server side: ``Authorization: Bearer wk_...`` or HTTP Basic with the write key as user
name. Browser side: ``X-Waypoint-Key: pk_...`` names the workspace and
``Authorization: Bearer <JWT>`` names the customer; the JWT is HS256, signed with one of
the workspace's active signing secrets, ``sub`` = the product's user id, ``exp`` required
and at most ``CUSTOMER_TOKEN_MAX_AGE_SECONDS`` after ``iat`` (or after now).
"""

import base64
import binascii
import time
from dataclasses import dataclass

import jwt
from django.conf import settings
from django.utils import timezone
from rest_framework.authentication import BaseAuthentication

from education.crypto import hash_secret
from education.errors import ApplicationError
from education.local_cache import LocalCache
from education.shared_cache import cached
from education.workspaces.models import Workspace
from education.workspaces.selectors import (
    keys_local,
    workspace_for_publishable_key,
    workspace_id_for_write_key,
    workspace_signing_secrets,
)

TOKEN_ALGORITHM = "HS256"  # noqa: S105  (an algorithm name, not a secret)
# Tolerated clock difference between the product's servers and Waypoint.
TOKEN_LEEWAY_SECONDS = 30
_MAX_TOKEN_LENGTH = 4096


@dataclass(frozen=True)
class ServerPrincipal:
    """A product backend holding the workspace's secret write key."""

    workspace: Workspace
    is_customer = False
    is_authenticated = True


@dataclass(frozen=True)
class CustomerPrincipal:
    """One customer, holding a token the product's backend minted for them."""

    workspace: Workspace
    external_id: str
    claims: dict
    is_customer = True
    is_authenticated = True


Principal = ServerPrincipal | CustomerPrincipal


# The workspace row is read on every request; like the key lookups (see
# ``education.workspaces.selectors``) it is cached briefly, so a change to a workspace's
# settings (e.g. its allowed origins) applies within a minute.
WORKSPACE_CACHE_SECONDS = 60


def workspace_cached(workspace_id: int | None) -> Workspace | None:
    if not workspace_id:
        return None
    key = f"api:workspace:{workspace_id}"
    return keys_local.get(key, lambda: _workspace_shared(workspace_id, key))


def _workspace_shared(workspace_id: int, key: str) -> Workspace | None:
    return cached(
        key, lambda: Workspace.objects.filter(pk=workspace_id).first(), WORKSPACE_CACHE_SECONDS
    )


def workspace_for_publishable_key_cached(publishable_key: str) -> Workspace | None:
    if not publishable_key or "\x00" in publishable_key:
        return None
    key = f"api:publishable-workspace:{hash_secret(publishable_key)}"
    return keys_local.get(key, lambda: _publishable_workspace_shared(publishable_key, key))


def _publishable_workspace_shared(publishable_key: str, key: str) -> Workspace | None:
    return cached(
        key, lambda: workspace_for_publishable_key(publishable_key), WORKSPACE_CACHE_SECONDS
    )


def _authorization(request) -> tuple[str, str]:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, value = header.strip().partition(" ")
    return scheme.lower(), value.strip()


def _unauthenticated(message: str, code: str = "authentication_failed") -> ApplicationError:
    return ApplicationError(message, code=code, status_code=401)


class WriteKeyAuthentication(BaseAuthentication):
    """The workspace's secret write key, as a bearer token or a Basic user name."""

    www_authenticate = 'Bearer realm="waypoint"'

    def authenticate(self, request):
        scheme, value = _authorization(request)
        if scheme == "bearer" and value.startswith("wk_"):
            write_key = value
        elif scheme == "basic":
            try:
                decoded = base64.b64decode(value, validate=True).decode()
            except (binascii.Error, UnicodeDecodeError) as exc:
                raise _unauthenticated("Malformed Basic credentials.") from exc
            write_key = decoded.partition(":")[0]
        else:
            return None
        workspace = workspace_cached(workspace_id_for_write_key(write_key))
        if workspace is None:
            raise _unauthenticated("Unknown or expired write key.")
        return ServerPrincipal(workspace=workspace), workspace

    def authenticate_header(self, request) -> str:
        return self.www_authenticate


# A widget sends the same token on every call until it expires: its verified claims are
# kept in the process for a few seconds, keyed by the token and the secrets that verified
# it (a rotation changes them), and the expiry is checked again on every use.
_verified = LocalCache(seconds=30, size=50_000)


def customer_token_claims(*, workspace: Workspace, token: str) -> dict:
    """The verified claims of a customer token, or an ApplicationError (401)."""
    secrets = workspace_signing_secrets(workspace)
    claims = _verified.get(
        (workspace.pk, secrets, token),
        lambda: _verified_claims(token=token, secrets=secrets),
    )
    if claims["exp"] + TOKEN_LEEWAY_SECONDS <= time.time():
        raise _unauthenticated("The customer token has expired.", "token_expired")
    return claims


def _verified_claims(*, token: str, secrets: tuple[str, ...]) -> dict:
    if len(token) > _MAX_TOKEN_LENGTH:
        raise _unauthenticated("The customer token is too long.", "invalid_token")
    try:
        header = jwt.get_unverified_header(token)
    except jwt.InvalidTokenError as exc:
        raise _unauthenticated("Malformed customer token.", "invalid_token") from exc
    # Pinned: never let the token choose its own algorithm (none, RS256 with the secret
    # as a public key, ...).
    if header.get("alg") != TOKEN_ALGORITHM:
        raise _unauthenticated("Customer tokens must be signed with HS256.", "invalid_token")
    claims = None
    for secret in secrets:
        try:
            claims = jwt.decode(
                token,
                secret,
                algorithms=[TOKEN_ALGORITHM],
                leeway=TOKEN_LEEWAY_SECONDS,
                options={"require": ["exp", "sub"], "verify_aud": False},
            )
            break
        except jwt.ExpiredSignatureError as exc:
            raise _unauthenticated("The customer token has expired.", "token_expired") from exc
        except jwt.InvalidSignatureError:
            continue
        except jwt.InvalidTokenError as exc:
            raise _unauthenticated(f"Invalid customer token: {exc}", "invalid_token") from exc
    if claims is None:
        raise _unauthenticated("The customer token's signature does not verify.", "invalid_token")
    subject = claims["sub"]
    if not isinstance(subject, str) or not subject or len(subject) > 255 or "\x00" in subject:
        raise _unauthenticated("The token's sub must be the customer's id.", "invalid_token")
    issued = claims.get("iat")
    if issued is not None and not isinstance(issued, int | float):
        raise _unauthenticated("The token's iat must be a number.", "invalid_token")
    start = issued if issued is not None else timezone.now().timestamp()
    if claims["exp"] - start > settings.CUSTOMER_TOKEN_MAX_AGE_SECONDS + TOKEN_LEEWAY_SECONDS:
        raise _unauthenticated(
            f"Customer tokens may live at most {settings.CUSTOMER_TOKEN_MAX_AGE_SECONDS} s.",
            "invalid_token",
        )
    return claims


class CustomerTokenAuthentication(BaseAuthentication):
    """A publishable key (``X-Waypoint-Key``) and a customer token (bearer JWT)."""

    www_authenticate = 'Bearer realm="waypoint-customer"'

    def authenticate(self, request):
        publishable_key = request.META.get("HTTP_X_WAYPOINT_KEY", "").strip()
        if not publishable_key:
            return None
        workspace = workspace_for_publishable_key_cached(publishable_key)
        if workspace is None:
            raise _unauthenticated("Unknown or expired publishable key.")
        scheme, token = _authorization(request)
        if scheme != "bearer" or not token:
            raise _unauthenticated(
                "Send the customer token as 'Authorization: Bearer <token>'.", "not_authenticated"
            )
        claims = customer_token_claims(workspace=workspace, token=token)
        return CustomerPrincipal(workspace=workspace, external_id=claims["sub"], claims=claims), (
            workspace
        )

    def authenticate_header(self, request) -> str:
        return self.www_authenticate
