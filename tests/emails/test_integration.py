"""Digests through a real Celery worker, a Redis broker and an SMTP server on loopback."""

import datetime as dt
import re
from collections import Counter

import pytest
from django.test import Client
from django.utils import timezone

from education.customers.identity import identity_hash
from education.customers.models import SuppressedIdentity
from education.emails.models import (
    DeliveryStatus,
    EmailDelivery,
    WorkspaceEmailSettings,
)
from education.emails.tasks import digests_plan_task, email_deliveries_recover_task
from education.events.models import UsageEvent
from tests.emails.live import wait_for
from tests.factories import (
    CustomerFactory,
    LearningPathPageFactory,
    LessonPageFactory,
    WorkspaceFactory,
)

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
_LINK = re.compile(r"http://127\.0\.0\.1:8000(/e/l/[^\s\"]+)")


def workspace_with_lessons():
    workspace = WorkspaceFactory(name="Ledgerly")
    # send_hour 0: every customer is past their local send hour whenever the test runs.
    WorkspaceEmailSettings.objects.create(workspace=workspace, send_hour=0, frequency_cap_days=1)
    lessons = [LessonPageFactory(workspace=workspace, title=f"Lesson {n}") for n in range(3)]
    LearningPathPageFactory(workspace=workspace, title="Getting paid", lessons=lessons)
    return workspace, lessons


def settled() -> bool:
    return not EmailDelivery.objects.filter(
        status__in=[DeliveryStatus.QUEUED, DeliveryStatus.SENDING]
    ).exists()


def test_worker_sends_digests_by_smtp_with_both_parts_headers_and_signed_links(worker, smtp):
    workspace, lessons = workspace_with_lessons()
    welcome = [CustomerFactory(workspace=workspace) for _ in range(3)]
    opted_out = CustomerFactory(workspace=workspace, email_consent=False)
    erased = CustomerFactory(workspace=workspace)
    SuppressedIdentity.objects.create(
        workspace=workspace,
        identity_hash=identity_hash(workspace_id=workspace.pk, external_id=erased.external_id),
    )
    capped = CustomerFactory(workspace=workspace)
    EmailDelivery.objects.create(
        workspace=workspace,
        customer=capped,
        campaign="trigger:1",
        period="once",
        status=DeliveryStatus.SENT,
        created_at=timezone.now() - dt.timedelta(hours=2),
    )

    digests_plan_task.delay()  # the hourly tick, run by the worker
    wait_for(lambda: len(smtp.messages) >= 3, message="three digests")
    wait_for(settled, message="every delivery settled")

    assert smtp.recipients == Counter(customer.email for customer in welcome)
    reasons = dict(
        EmailDelivery.objects.filter(status="suppressed").values_list("customer_id", "reason")
    )
    assert reasons == {
        opted_out.pk: "no_consent",
        erased.pk: "erased",
        capped.pk: "frequency_cap",
    }

    message = smtp.messages[0]
    delivery = EmailDelivery.objects.get(message_id=message["Message-ID"])
    assert delivery.status == DeliveryStatus.SENT
    assert message["List-Unsubscribe"].strip().startswith("<http://127.0.0.1:8000/e/unsubscribe/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Getting paid" in text and "Lesson 0" in html
    assert 'style="' in html

    client = Client()
    link = _LINK.search(text).group(1)
    response = client.get(link)
    assert response.status_code == 302
    lesson_id = int(
        UsageEvent.objects.get(customer=delivery.customer).signal.removeprefix("lesson:")
    )
    assert lesson_id in {lesson.pk for lesson in lessons}
    assert response["Location"] == next(
        lesson.full_url for lesson in lessons if lesson.pk == lesson_id
    )
    assert client.get(link[:-8] + "tampered/").status_code == 400


def test_two_ticks_at_once_and_a_rerun_in_the_same_period_send_once(worker, smtp):
    workspace, _lessons = workspace_with_lessons()
    customers = [CustomerFactory(workspace=workspace) for _ in range(6)]

    digests_plan_task.delay()
    digests_plan_task.delay()  # a duplicated schedule fires at the same moment
    wait_for(lambda: len(smtp.messages) >= 6, message="six digests")
    wait_for(settled, message="every delivery settled")
    ended = worker.tasks_ended()
    digests_plan_task.delay()  # an hour later, same period
    email_deliveries_recover_task.delay(requeue_after_seconds=0)
    wait_for(lambda: worker.tasks_ended() >= ended + 2, message="the rerun and the recovery")
    wait_for(settled, message="every delivery settled")

    assert smtp.recipients == Counter(customer.email for customer in customers)
    assert EmailDelivery.objects.filter(status=DeliveryStatus.SENT).count() == 6
