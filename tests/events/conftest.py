"""Helpers for ingestion tests: requests shaped like a Segment SDK's."""

import base64
import gzip
import json
import uuid
from typing import Any

import pytest


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


@pytest.fixture
def ingest(client, workspace) -> IngestClient:
    return IngestClient(client, workspace.issued_keys.write_key)
