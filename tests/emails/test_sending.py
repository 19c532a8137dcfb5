import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from education.customers.services import customer_preferences_update
from education.emails.models import (
    OUTCOME_UNKNOWN,
    BouncedAddress,
    DeliveryStatus,
    EmailDelivery,
)
from education.emails.services import (
    email_deliveries_recover,
    email_deliveries_send,
    email_delivery_resend,
)
from tests.emails.backends import FlakyBackend


@pytest.fixture
def queued(workspace, lessons, customer, email_settings, now):
    from education.emails.services import digests_plan

    # Planned without running the chunk, as if the task were still waiting in the queue.
    return digests_plan(workspace=workspace, now=now, enqueue=False).queued_ids


def test_sending_a_chunk_twice_sends_each_email_once(queued):
    first = email_deliveries_send(delivery_ids=queued)
    second = email_deliveries_send(delivery_ids=queued)

    assert len(first.sent) == 1 and second.sent == []
    assert len(mail.outbox) == 1


def test_a_row_claimed_by_another_worker_is_left_alone(queued):
    EmailDelivery.objects.filter(pk__in=queued).update(status=DeliveryStatus.SENDING)
    report = email_deliveries_send(delivery_ids=queued)
    assert report.sent == [] and mail.outbox == []


def test_a_transient_failure_is_retried_then_sent(
    queued, settings, customer, delivery_of, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.emails.backends.FlakyBackend"
    FlakyBackend.failures, FlakyBackend.calls = 2, 0

    with django_capture_on_commit_callbacks(execute=True):
        email_deliveries_send(delivery_ids=queued)  # eager: retries run at once

    delivery = delivery_of(customer)
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.attempts == 3
    assert len(mail.outbox) == 1


def test_failures_stop_after_the_last_attempt(
    queued, settings, customer, delivery_of, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.emails.backends.FlakyBackend"
    settings.EMAIL_MAX_ATTEMPTS = 3
    FlakyBackend.failures, FlakyBackend.calls = 99, 0

    with django_capture_on_commit_callbacks(execute=True):
        email_deliveries_send(delivery_ids=queued)

    delivery = delivery_of(customer)
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == 3
    assert "SMTPServerDisconnected" in delivery.reason
    assert mail.outbox == []


def test_a_retry_waits_with_backoff(queued, settings, customer, delivery_of, monkeypatch):
    from education.emails import services

    settings.EMAIL_BACKEND = "tests.emails.backends.FlakyBackend"
    FlakyBackend.failures, FlakyBackend.calls = 1, 0
    scheduled = []
    monkeypatch.setattr(
        services,
        "email_deliveries_enqueue",
        lambda *, delivery_ids, countdown=0: scheduled.append((delivery_ids, countdown)),
    )

    email_deliveries_send(delivery_ids=queued)

    delivery = delivery_of(customer)
    assert delivery.status == DeliveryStatus.QUEUED
    assert scheduled == [(queued, settings.EMAIL_RETRY_BASE_SECONDS)]
    assert delivery.not_before > timezone.now()


def test_a_refused_address_fails_and_is_never_mailed_again(
    queued, settings, customer, delivery_of, workspace, plan_digests, now
):
    settings.EMAIL_BACKEND = "tests.emails.backends.RefusingBackend"
    email_deliveries_send(delivery_ids=queued)

    delivery = delivery_of(customer)
    assert delivery.status == DeliveryStatus.FAILED
    assert "550" in delivery.reason
    assert BouncedAddress.objects.filter(customer=customer, email=customer.email).exists()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    plan_digests(workspace, now=now + dt.timedelta(days=7))
    assert mail.outbox == []


def test_consent_withdrawn_after_planning_suppresses_the_email(queued, customer, delivery_of):
    customer_preferences_update(customer=customer, email_consent=False)

    email_deliveries_send(delivery_ids=queued)

    assert mail.outbox == []
    assert delivery_of(customer).reason == "no_consent"


def test_a_customer_erased_after_planning_gets_nothing(queued, customer):
    customer.delete()
    report = email_deliveries_send(delivery_ids=queued)
    assert report.sent == [] and mail.outbox == []


def test_recovery_hands_lost_rows_to_a_worker_again(
    queued, customer, delivery_of, django_capture_on_commit_callbacks
):
    later = timezone.now() + dt.timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        report = email_deliveries_recover(now=later)

    assert report.requeued == queued
    assert delivery_of(customer).status == DeliveryStatus.SENT
    assert len(mail.outbox) == 1


def test_recovery_never_resends_a_row_stuck_while_sending(queued, customer, delivery_of):
    # A worker claimed the row and died before recording the outcome.
    EmailDelivery.objects.filter(pk__in=queued).update(
        status=DeliveryStatus.SENDING, claimed_at=timezone.now(), attempts=1
    )
    later = timezone.now() + dt.timedelta(hours=1)

    report = email_deliveries_recover(now=later)

    delivery = delivery_of(customer)
    assert report.outcome_unknown == queued
    assert (delivery.status, delivery.reason) == (DeliveryStatus.FAILED, OUTCOME_UNKNOWN)
    assert mail.outbox == []


def test_a_reviewed_failure_can_be_sent_again_with_the_same_message_id(
    queued, customer, delivery_of, django_capture_on_commit_callbacks
):
    EmailDelivery.objects.filter(pk__in=queued).update(
        status=DeliveryStatus.FAILED, reason=OUTCOME_UNKNOWN
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert email_delivery_resend(delivery=delivery_of(customer))

    delivery = delivery_of(customer)
    assert delivery.status == DeliveryStatus.SENT
    assert mail.outbox[0].extra_headers["Message-ID"] == delivery.message_id


def test_chunks_hold_many_recipients(
    workspace,
    lessons,
    email_settings,
    settings,
    now,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    from education.emails import services
    from tests.factories import CustomerFactory

    settings.EMAIL_CHUNK_SIZE = 2
    for _ in range(5):
        CustomerFactory(workspace=workspace, timezone="UTC")
    chunks = []
    monkeypatch.setattr(
        "education.emails.tasks.email_deliveries_send_task.apply_async",
        lambda args, countdown=None: chunks.append(args[0]),
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.digests_plan(workspace=workspace, now=now)

    assert [len(chunk) for chunk in chunks] == [2, 2, 1]
