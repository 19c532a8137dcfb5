"""Write-key authentication as Segment does it: Basic, Bearer, or ``writeKey`` in the body."""

from __future__ import annotations

import binascii
from base64 import b64decode

from education.errors import ApplicationError
from education.workspaces.selectors import workspace_id_for_write_key


class InvalidWriteKey(ApplicationError):
    def __init__(self, message: str = "The write key is missing, unknown or expired.") -> None:
        super().__init__(
            message,
            code="invalid_write_key",
            status_code=401,
            headers={"WWW-Authenticate": 'Basic realm="waypoint"'},
        )


def credentials_from_header(authorization: str) -> tuple[str, str]:
    """``(scheme, key)`` from an Authorization header; ``("", "")`` when there is none.

    Basic carries the write key as user name with an empty password (a key sent as the
    password is accepted too). Bearer carries the key itself.
    """
    scheme, _, value = authorization.strip().partition(" ")
    scheme = scheme.lower()
    value = value.strip()
    if scheme == "basic":
        try:
            decoded = b64decode(value, validate=True).decode("utf-8")
        except (binascii.Error, ValueError) as exc:
            raise InvalidWriteKey("The Basic credentials are not valid base64.") from exc
        user, _, password = decoded.partition(":")
        return "basic", user or password
    if scheme == "bearer" and value:
        return "bearer", value
    return "", ""


def workspace_from_header(scheme: str, key: str) -> int | None:
    """The workspace of a header key. A bad Basic key is final; an unknown Bearer token
    may be an OAuth token sent alongside a ``writeKey`` in the body, so it defers."""
    if not scheme:
        return None
    workspace_id = workspace_id_for_write_key(key)
    if workspace_id is None and scheme == "basic":
        raise InvalidWriteKey()
    return workspace_id


def workspace_from_body_key(key: str) -> int:
    workspace_id = workspace_id_for_write_key(key) if key else None
    if workspace_id is None:
        raise InvalidWriteKey()
    return workspace_id
