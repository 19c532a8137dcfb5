"""A Celery worker killed (SIGKILL) in the middle of sending digests."""

from collections import Counter

import pytest

from education.emails.models import OUTCOME_UNKNOWN, DeliveryStatus, EmailDelivery
from education.emails.services import digests_plan
from education.emails.tasks import email_deliveries_recover_task
from tests.emails.live import wait_for
from tests.emails.test_integration import settled, workspace_with_lessons
from tests.factories import CustomerFactory

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_worker_killed_mid_run_and_restarted_sends_each_email_exactly_once(
    worker_factory, smtp, settings
):
    settings.EMAIL_CHUNK_SIZE = 4
    first = worker_factory(concurrency=1)
    smtp.reset(delay=0.1)  # slow enough to kill the worker in the middle of a chunk
    workspace, _lessons = workspace_with_lessons()
    customers = [CustomerFactory(workspace=workspace) for _ in range(8)]

    digests_plan(workspace=workspace, ignore_send_hour=True)  # chunks are queued on commit
    wait_for(lambda: len(smtp.messages) >= 3, message="the first messages")
    first.kill()

    worker_factory()
    # Recovery hands out the rows whose task died with the worker; a row that was being
    # handed to the SMTP server when the worker died is set aside, never sent twice.
    email_deliveries_recover_task.delay(requeue_after_seconds=0)
    wait_for(
        lambda: not EmailDelivery.objects.filter(status=DeliveryStatus.QUEUED).exists(),
        message="no queued row left",
    )
    email_deliveries_recover_task.delay(requeue_after_seconds=0, sending_timeout_seconds=0)
    wait_for(settled, message="every delivery settled")

    assert smtp.recipients == Counter(customer.email for customer in customers)
    statuses = Counter(EmailDelivery.objects.values_list("status", "reason"))
    assert statuses[(DeliveryStatus.SENT, "")] + statuses[
        (DeliveryStatus.FAILED, OUTCOME_UNKNOWN)
    ] == len(customers)
    assert statuses[(DeliveryStatus.FAILED, OUTCOME_UNKNOWN)] <= 1
