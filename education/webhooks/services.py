"""Writes about webhooks: endpoints, and deliveries made with retries."""

import ipaddress
import json
import time
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from education.customers.models import Customer
from education.errors import ApplicationError
from education.webhooks.models import (
    DeliveryStatus,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from education.webhooks.signing import SIGNATURE_HEADER, signature_header
from education.workspaces.models import Workspace
from education.workspaces.selectors import workspace_signing_secrets

_LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}
USER_AGENT = "Waypoint-Webhooks/1"


def webhook_url_validate(url: str) -> str:
    """https only; plain http to localhost is allowed while DEBUG (local development)."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        parts.port  # noqa: B018  (raises ValueError on a bad port)
    except ValueError as exc:
        raise ApplicationError("Invalid URL.", code="invalid_url") from exc
    if not host or len(url) > 500:
        raise ApplicationError("Give a full URL of at most 500 characters.", code="invalid_url")
    if parts.username or parts.password:
        raise ApplicationError("Put no credentials in the URL.", code="invalid_url")
    local = host in _LOCAL_HOSTS or host.endswith(".localhost")
    if local and settings.DEBUG and parts.scheme in {"http", "https"}:
        return url
    if parts.scheme != "https":
        raise ApplicationError("Webhook URLs must use https.", code="invalid_url")
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        address = None
    if local or (address is not None and not address.is_global):
        raise ApplicationError("Webhook URLs must point to a public host.", code="invalid_url")
    return url


def _events_validate(events: list[str]) -> list[str]:
    known = set(WebhookEvent.values)
    unknown = [event for event in events if event not in known]
    if unknown or not events:
        raise ApplicationError(
            f"Choose one or more of: {', '.join(WebhookEvent.values)}.",
            code="invalid_events",
            details={"unknown": unknown},
        )
    return sorted(set(events))


@transaction.atomic
def webhook_endpoint_create(
    *,
    workspace: Workspace,
    url: str,
    events: list[str],
    active: bool = True,
    description: str = "",
) -> WebhookEndpoint:
    return WebhookEndpoint.objects.create(
        workspace=workspace,
        url=webhook_url_validate(url),
        events=_events_validate(events),
        active=active,
        description=description,
    )


@transaction.atomic
def webhook_endpoint_update(
    *,
    endpoint: WebhookEndpoint,
    url: str | None = None,
    events: list[str] | None = None,
    active: bool | None = None,
    description: str | None = None,
) -> WebhookEndpoint:
    if url is not None:
        endpoint.url = webhook_url_validate(url)
    if events is not None:
        endpoint.events = _events_validate(events)
    if active is not None:
        endpoint.active = active
    if description is not None:
        endpoint.description = description
    endpoint.save()
    return endpoint


@transaction.atomic
def webhook_endpoint_delete(*, endpoint: WebhookEndpoint) -> None:
    endpoint.delete()


def webhook_event_emit(
    *,
    workspace: Workspace,
    event: str,
    data: dict[str, Any],
    customer: Customer | None = None,
) -> list[WebhookDelivery]:
    """Record one delivery per subscribed endpoint; each is sent after the commit."""
    from education.webhooks.tasks import webhook_deliver

    endpoints = [
        endpoint
        for endpoint in WebhookEndpoint.objects.filter(workspace=workspace, active=True)
        if event in endpoint.events
    ]
    if not endpoints:
        return []
    created_at = timezone.now()
    deliveries = WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(
                endpoint=endpoint,
                customer=customer,
                event=event,
                payload=data,
                created_at=created_at,
                next_attempt_at=created_at,
            )
            for endpoint in endpoints
        ]
    )
    for delivery in deliveries:  # bulk_create returns primary keys on SQLite and PostgreSQL
        transaction.on_commit(lambda pk=delivery.pk: webhook_deliver.delay(pk))
    return deliveries


def delivery_body(delivery: WebhookDelivery) -> bytes:
    document = {
        "id": str(delivery.public_id),
        "event": delivery.event,
        "created_at": delivery.created_at.isoformat(),
        "data": delivery.payload,
    }
    return json.dumps(document, separators=(",", ":"), sort_keys=True).encode()


def retry_delay_seconds(attempts: int) -> int:
    """Exponential backoff: base, 2×base, 4×base, ... (30 s up to about an hour)."""
    return settings.WEBHOOK_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)


def webhook_delivery_attempt(*, delivery_id: int) -> bool | None:
    """Send one delivery once. True: delivered; False: to retry later; None: nothing more
    to do (not pending any more, or out of attempts and now marked failed).

    The HTTP call happens outside any transaction: a slow receiver holds no row lock.
    """
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update()
            .select_related("endpoint__workspace")
            .filter(pk=delivery_id, status=DeliveryStatus.PENDING)
            .first()
        )
        if delivery is None:
            return None
        delivery.attempts += 1
        delivery.save(update_fields=["attempts"])

    endpoint = delivery.endpoint
    secrets = workspace_signing_secrets(endpoint.workspace)
    body = delivery_body(delivery)
    status_code, error = None, ""
    try:
        response = requests.post(
            endpoint.url,
            data=body,
            headers={
                "Content-Type": "application/json",
                "User-Agent": USER_AGENT,
                "Waypoint-Event": delivery.event,
                "Waypoint-Delivery": str(delivery.public_id),
                SIGNATURE_HEADER: signature_header(
                    secret=secrets[0], timestamp=int(time.time()), body=body
                ),
            },
            timeout=settings.WEBHOOK_TIMEOUT_SECONDS,
            allow_redirects=False,
        )
        status_code = response.status_code
    except requests.RequestException as exc:
        error = f"{type(exc).__name__}: {exc}"[:300]

    succeeded = status_code is not None and 200 <= status_code < 300
    now = timezone.now()
    fields: dict[str, Any] = {"last_status_code": status_code, "last_error": error}
    if succeeded:
        fields.update(status=DeliveryStatus.SUCCEEDED, delivered_at=now, next_attempt_at=None)
        outcome = True
    elif delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
        fields.update(status=DeliveryStatus.FAILED, next_attempt_at=None)
        outcome = None
    else:
        delay = retry_delay_seconds(delivery.attempts)
        fields["next_attempt_at"] = now + timedelta(seconds=delay)
        outcome = False
    WebhookDelivery.objects.filter(pk=delivery.pk).update(**fields)
    return outcome
