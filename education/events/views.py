"""The Segment-compatible HTTP Tracking API: /v1/batch, /v1/track, /v1/identify, ...

Thin views: read and authenticate the request, hand it to ``usage_events_ingest``, and
translate outcomes into the status codes SDKs act on (200 done, 400/401 final, 429 and
503 with Retry-After: try again later).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from redis.exceptions import RedisError

from education.errors import OUTAGE_RETRY_AFTER_SECONDS, ApplicationError, error_response
from education.events.auth import (
    credentials_from_header,
    workspace_from_body_key,
    workspace_from_header,
)
from education.events.payloads import (
    PayloadError,
    body_decode,
    body_parse,
    body_write_key,
    request_parse,
)
from education.events.rate_limit import RETRY_AFTER_SECONDS, ingest_rate_exceeded
from education.events.selectors import ingest_settings_for
from education.events.services import rejected_request_record, usage_events_ingest

logger = logging.getLogger(__name__)


def _body_read(request: HttpRequest, max_bytes: int) -> bytes:
    # Refuse an oversize body before reading it; read at most one byte past the limit
    # when the length is not announced (chunked).
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > max_bytes:
        raise PayloadError(
            f"The request body is over the limit of {max_bytes} bytes.", code="batch_too_large"
        )
    try:
        return request.read(max_bytes + 1)
    except OSError as exc:  # the client went away mid-body
        raise PayloadError("The request body could not be read.", code="invalid_request") from exc


def _ingest(request: HttpRequest, message_type: str | None) -> HttpResponse:
    received_at = timezone.now()
    max_batch_bytes = settings.INGEST_MAX_BATCH_BYTES
    scheme, header_key = credentials_from_header(request.headers.get("Authorization", ""))
    workspace_id = workspace_from_header(scheme, header_key)
    raw = b""
    try:
        raw = _body_read(request, max_batch_bytes)
        data = body_decode(
            raw,
            content_encoding=request.headers.get("Content-Encoding", ""),
            max_bytes=max_batch_bytes,
        )
        body = body_parse(data)
        if workspace_id is None:
            workspace_id = workspace_from_body_key(body_write_key(body))
        parsed = request_parse(
            body,
            data=data,
            message_type=message_type,
            received_at=received_at,
            max_event_bytes=settings.INGEST_MAX_EVENT_BYTES,
        )
    except PayloadError as exc:
        if workspace_id is not None:
            rejected_request_record(
                workspace_id=workspace_id, reason=exc.message, message_id=exc.message_id, raw=raw
            )
        raise

    ingest_settings = ingest_settings_for(workspace_id=workspace_id)
    if ingest_rate_exceeded(
        workspace_id=workspace_id,
        events=parsed.count,
        limit_per_second=ingest_settings.rate_limit_per_second,
    ):
        raise ApplicationError(
            "Too many events for this workspace; retry after the delay given.",
            code="rate_limited",
            status_code=429,
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
    result = usage_events_ingest(
        workspace_id=workspace_id,
        parsed=parsed,
        received_at=received_at,
        settings=ingest_settings,
    )
    return JsonResponse({"success": True, **result.as_dict()})


@csrf_exempt
def ingest_view(request: HttpRequest, message_type: str | None = None) -> HttpResponse:
    if request.method != "POST":
        return error_response("method_not_allowed", "Use POST.", 405, headers={"Allow": "POST"})
    try:
        return _ingest(request, message_type)
    except ApplicationError as exc:
        return error_response(
            exc.code, exc.message, exc.status_code, details=exc.details, headers=exc.headers
        )
    except (DatabaseError, RedisError):
        # An outage, not the client's fault: nothing was committed, the SDK retries.
        logger.warning("ingestion: storage unavailable", exc_info=True)
        return error_response(
            "unavailable",
            "Storage is briefly unavailable; retry later.",
            503,
            headers={"Retry-After": str(OUTAGE_RETRY_AFTER_SECONDS)},
        )
