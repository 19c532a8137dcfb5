"""Helpers for ingestion tests: requests shaped like a Segment SDK's."""

import base64
import gzip
import json
import uuid
from typing import Any

import pytest
from django.utils.text import slugify

from education.crypto import hash_secret, new_token
from education.workspaces.models import CredentialKind, Workspace, WorkspaceCredential
from education.workspaces.services import IssuedKeys


def basic_auth(write_key: str) -> str:
    return "Basic " + base64.b64encode(f"{write_key}:".encode()).decode()


def track(user_id: str = "user-1", event: str = "Invoice Sent", **fields: Any) -> dict:
    return {
        "type": "track",
        "userId": user_id,
        "event": event,
        "messageId": str(uuid.uuid4()),
        "timestamp": "2026-01-05T10:00:00Z",
        "properties": {},
        **fields,
    }


class IngestClient:
    """Posts to the tracking API through Django's test client."""

    def __init__(self, client, write_key: str) -> None:
        self.client = client
        self.write_key = write_key

    def post(
        self,
        path: str,
        body: Any,
        *,
        key: str | None = None,
        auth: str = "basic",
        gzipped: bool = False,
        raw: bytes | None = None,
        headers: dict[str, str] | None = None,
    ):
        data = raw if raw is not None else json.dumps(body).encode()
        extra = dict(headers or {})
        key = self.write_key if key is None else key
        if auth == "basic":
            extra["HTTP_AUTHORIZATION"] = basic_auth(key)
        elif auth == "bearer":
            extra["HTTP_AUTHORIZATION"] = f"Bearer {key}"
        if gzipped:
            data = gzip.compress(data)
            extra["HTTP_CONTENT_ENCODING"] = "gzip"
        return self.client.generic(
            "POST", path, data=data, content_type="application/json", **extra
        )

    def batch(self, events: list[dict], **kwargs: Any):
        body = {"batch": events, "sentAt": "2026-01-05T10:00:00Z", **kwargs.pop("extra", {})}
        return self.post("/v1/batch", body, **kwargs)


def bare_workspace(name: str) -> Workspace:
    """A workspace with a write key and nothing else.

    Ingestion needs only the key; the shared factory also builds the Wagtail hubs, which
    costs a second per test on PostgreSQL. Admin tests use the full factory.
    """
    workspace = Workspace.objects.create(name=name, slug=slugify(name))
    write_key = new_token("wk")
    WorkspaceCredential.objects.create(
        workspace=workspace,
        kind=CredentialKind.WRITE_KEY,
        lookup=hash_secret(write_key),
        hint=write_key[-6:],
    )
    workspace.issued_keys = IssuedKeys(write_key=write_key, publishable_key="", signing_secret="")
    return workspace


@pytest.fixture
def workspace(db) -> Workspace:
    return bare_workspace("Ledgerly")


@pytest.fixture
def other_workspace(db) -> Workspace:
    return bare_workspace("Other Co")


@pytest.fixture
def ingest(client, workspace) -> IngestClient:
    return IngestClient(client, workspace.issued_keys.write_key)
