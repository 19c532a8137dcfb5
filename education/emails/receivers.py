"""Signal receivers: schedules after migrate, bounce and complaint reports from providers,
trigger changes that ingestion must see."""

import logging

logger = logging.getLogger(__name__)

# Provider tracking events after which an address is never mailed again.
_BOUNCE_EVENTS = {"bounced", "complained", "rejected", "unsubscribed"}


def schedules_after_migrate(sender, using="default", **kwargs) -> None:
    from django.db import connections

    from education.emails.services import setup_schedules

    if "django_celery_beat_periodictask" in connections[using].introspection.table_names():
        setup_schedules()


def trigger_changed(sender, instance, **kwargs) -> None:
    """Ingestion caches which signals the triggers watch: it reads them afresh."""
    from django.db import transaction

    from education.events.selectors import ingest_settings_forget

    workspace_id = instance.workspace_id
    transaction.on_commit(lambda: ingest_settings_forget(workspace_id=workspace_id))


def provider_tracking_received(sender, event, esp_name, **kwargs) -> None:
    """django-anymail tracking webhook: a bounce or complaint for one of our messages."""
    from education.emails.models import EmailDelivery
    from education.emails.services import email_bounce_record

    if event.event_type not in _BOUNCE_EVENTS:
        return
    delivery_id = (event.metadata or {}).get("waypoint_delivery")
    delivery = None
    if delivery_id and str(delivery_id).isdigit():
        delivery = EmailDelivery.objects.select_related("customer").filter(pk=delivery_id).first()
    if delivery is None and event.message_id:
        delivery = (
            EmailDelivery.objects.select_related("customer")
            .filter(provider_message_id=event.message_id)
            .first()
        )
    if delivery is None:
        logger.info("%s %s event for an unknown message", esp_name, event.event_type)
        return
    email_bounce_record(
        delivery=delivery,
        event=event.event_type,
        detail=event.description or event.reject_reason or "",
    )


def connect_provider_tracking() -> None:
    from anymail.signals import tracking

    tracking.connect(provider_tracking_received, dispatch_uid="waypoint-email-tracking")
