"""Celery tasks for email. Thin: ids in, a service call, idempotent by construction."""

from datetime import timedelta

from celery import shared_task

from education.emails import services


@shared_task(name="emails.digests_plan", ignore_result=True)
def digests_plan_task() -> None:
    """The hourly tick: plan every workspace's due digests and enqueue them in chunks."""
    services.digests_plan_all()


@shared_task(name="emails.triggers_evaluate", ignore_result=True)
def triggers_evaluate_task() -> None:
    services.triggers_evaluate_all()


@shared_task(name="emails.triggers_evaluate_for_customers", ignore_result=True)
def triggers_evaluate_for_customers_task(workspace_id: int, customer_ids: list[int]) -> None:
    """After an ingestion commit: the triggers these customers' new events may fire."""
    services.triggers_evaluate_for_customers(workspace_id=workspace_id, customer_ids=customer_ids)


@shared_task(name="emails.deliveries_send", acks_late=True, ignore_result=True)
def email_deliveries_send_task(delivery_ids: list[int]) -> None:
    """Send one chunk of recipients (rows already sent or claimed elsewhere are skipped)."""
    services.email_deliveries_send(delivery_ids=delivery_ids)


@shared_task(name="emails.deliveries_recover", ignore_result=True)
def email_deliveries_recover_task(
    requeue_after_seconds: int | None = None, sending_timeout_seconds: int | None = None
) -> None:
    services.email_deliveries_recover(
        requeue_after=None
        if requeue_after_seconds is None
        else timedelta(seconds=requeue_after_seconds),
        sending_timeout=None
        if sending_timeout_seconds is None
        else timedelta(seconds=sending_timeout_seconds),
    )
