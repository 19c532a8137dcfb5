"""Webhook delivery: one task per delivery, retried with exponential backoff."""

from celery import shared_task

from education.webhooks.models import WebhookDelivery
from education.webhooks.services import retry_delay_seconds, webhook_delivery_attempt


@shared_task(bind=True, max_retries=None, acks_late=True, ignore_result=True)
def webhook_deliver(self, delivery_id: int) -> None:
    """Idempotent: a delivery that is no longer pending is left alone.

    The number of attempts lives on the delivery row (the service stops at
    ``WEBHOOK_MAX_ATTEMPTS`` and marks it failed), so Celery's own retry count is unused.
    """
    outcome = webhook_delivery_attempt(delivery_id=delivery_id)
    # Eager mode (development, tests) has no worker to come back later: retry at once.
    while outcome is False and self.request.is_eager:
        outcome = webhook_delivery_attempt(delivery_id=delivery_id)
    if outcome is False:
        attempts = (
            WebhookDelivery.objects.filter(pk=delivery_id)
            .values_list("attempts", flat=True)
            .first()
        )
        raise self.retry(countdown=retry_delay_seconds(attempts or 1))
