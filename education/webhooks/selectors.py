"""Reads about webhooks."""

from django.db.models import QuerySet

from education.webhooks.models import WebhookDelivery, WebhookEndpoint
from education.workspaces.models import Workspace


def webhook_endpoints_for(*, workspace: Workspace) -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.filter(workspace=workspace)


def webhook_deliveries_for(*, endpoint: WebhookEndpoint) -> QuerySet[WebhookDelivery]:
    return WebhookDelivery.objects.filter(endpoint=endpoint)
