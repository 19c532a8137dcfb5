"""Triggers fire right after ingestion commits the events that cross them, not at the next
periodic scan."""

import json
import uuid

import pytest
from celery.signals import task_prerun
from django.core import mail
from django.db import OperationalError
from django.utils import timezone

from education.emails import services
from education.emails.models import DeliveryStatus, EmailDelivery, EmailTrigger
from education.events.models import UsageEvent
from education.progress.models import PinnedLesson
from tests.events.conftest import basic_auth


@pytest.fixture
def feature(lessons):
    return lessons[0].features.get()


@pytest.fixture
def post_batch(client, workspace, django_capture_on_commit_callbacks):
    """POST /v1/batch as an SDK does; what the request hands off after commit runs."""

    def post(*events):
        body = {"batch": list(events)}
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/v1/batch",
                data=json.dumps(body),
                content_type="application/json",
                HTTP_AUTHORIZATION=basic_auth(workspace.issued_keys.write_key),
            )
        assert response.status_code == 200, response.content

    return post


def _track(customer, event, **properties):
    return {
        "type": "track",
        "userId": customer.external_id,
        "event": event,
        "messageId": str(uuid.uuid4()),
        "timestamp": timezone.now().isoformat(),
        "properties": properties,
    }


def _ticket_trigger(workspace, feature, lesson):
    return EmailTrigger.objects.create(
        workspace=workspace, name="Tickets", kind="support_ticket", feature=feature, lesson=lesson
    )


def _error(customer):
    return _track(customer, "Error Encountered", feature="invoices")


def test_the_batch_that_crosses_the_threshold_sends_the_lesson_at_once(
    workspace,
    lessons,
    feature,
    customer,
    email_settings,
    post_batch,
    django_capture_on_commit_callbacks,
):
    post_batch(_error(customer))  # ingestion's settings are now cached without a trigger
    with django_capture_on_commit_callbacks(execute=True):  # as the admin's save commits
        trigger = EmailTrigger.objects.create(
            workspace=workspace,
            name="Invoice errors",
            kind="error_threshold",
            feature=feature,
            lesson=lessons[1],
            threshold=3,
            window_hours=1,
        )

    post_batch(_error(customer))
    assert mail.outbox == []  # two errors: under the threshold
    post_batch(_error(customer))

    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.endswith(lessons[1].title)
    delivery = EmailDelivery.objects.get(customer=customer, campaign=trigger.campaign)
    assert delivery.status == DeliveryStatus.SENT
    assert PinnedLesson.objects.filter(customer=customer, lesson=lessons[1]).exists()

    post_batch(_error(customer))  # the lesson goes once per trigger and customer
    assert len(mail.outbox) == 1


def test_a_ticket_sends_the_lesson_at_once(
    workspace, lessons, feature, customer, email_settings, post_batch
):
    _ticket_trigger(workspace, feature, lessons[2])
    post_batch(_track(customer, "Support Ticket Opened", feature="invoices"))
    assert len(mail.outbox) == 1
    assert "Thanks for getting in touch about Invoices" in mail.outbox[0].body


@pytest.fixture
def tasks_run():
    """The names of the Celery tasks that run (in process) during the test."""
    names: list[str] = []

    def record(sender=None, **kwargs):
        names.append(sender.name)

    task_prerun.connect(record)
    yield names
    task_prerun.disconnect(record)


TRIGGER_CHECK = "emails.triggers_evaluate_for_customers"


def test_events_no_trigger_watches_hand_nothing_off(
    workspace, lessons, feature, customer, email_settings, post_batch, tasks_run
):
    _ticket_trigger(workspace, feature, lessons[2])
    post_batch(
        _error(customer),  # an error, where the trigger watches tickets
        _track(customer, "Support Ticket Opened", feature="exports"),  # another feature
        _track(customer, "Invoice Sent"),
    )
    assert TRIGGER_CHECK not in tasks_run
    assert mail.outbox == []
    assert UsageEvent.objects.filter(customer=customer).count() == 3

    post_batch(_track(customer, "Support Ticket Opened", feature="invoices"))
    assert tasks_run.count(TRIGGER_CHECK) == 1


def test_a_deleted_trigger_stops_watching_at_once(
    workspace,
    lessons,
    feature,
    customer,
    email_settings,
    post_batch,
    django_capture_on_commit_callbacks,
    tasks_run,
):
    trigger = _ticket_trigger(workspace, feature, lessons[2])
    post_batch(_track(customer, "Invoice Sent"))  # caches the watched signals
    with django_capture_on_commit_callbacks(execute=True):
        trigger.delete()
    post_batch(_track(customer, "Support Ticket Opened", feature="invoices"))
    assert TRIGGER_CHECK not in tasks_run


def test_a_failing_trigger_check_does_not_fail_ingestion(
    workspace, lessons, feature, customer, email_settings, post_batch, monkeypatch
):
    _ticket_trigger(workspace, feature, lessons[2])

    def broken(**kwargs):
        raise OperationalError("the worker's database went away")

    monkeypatch.setattr(services, "triggers_evaluate_for_customers", broken)
    post_batch(_track(customer, "Support Ticket Opened", feature="invoices"))  # still a 200

    assert UsageEvent.objects.filter(customer=customer, kind="ticket").count() == 1
    # The periodic scan is the safety net.
    services.trigger_evaluate(workspace=workspace)
    assert EmailDelivery.objects.filter(customer=customer).count() == 1
