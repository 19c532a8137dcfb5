import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db.models.signals import post_save
from django.utils import timezone
from factory.django import mute_signals

from education.emails.models import DeliveryStatus, EmailDelivery, EmailTrigger
from education.emails.services import trigger_evaluate
from education.local_cache import local_caches_clear
from education.progress.models import LessonProgress, PinnedLesson
from tests.api.conftest import customer_client
from tests.factories import CustomerFactory, ProductFeatureFactory, UsageEventFactory


@pytest.fixture
def feature(lessons):
    return lessons[0].features.get()


def _trigger(workspace, feature, lesson, **fields):
    fields.setdefault("kind", "error_threshold")
    return EmailTrigger.objects.create(
        workspace=workspace, name="Invoice errors", feature=feature, lesson=lesson, **fields
    )


@pytest.fixture
def evaluate(django_capture_on_commit_callbacks, now):
    def run(workspace, at=None):
        with django_capture_on_commit_callbacks(execute=True):
            return trigger_evaluate(workspace=workspace, now=at or now)

    return run


def _event(customer, now, kind="error", key="invoices", minutes_ago=10):
    at = now - dt.timedelta(minutes=minutes_ago)
    return UsageEventFactory(
        customer=customer, kind=kind, feature_key=key, timestamp=at, received_at=at
    )


def test_repeated_errors_send_the_lesson_and_pin_it(
    workspace, lessons, feature, customer, email_settings, evaluate, now, delivery_of
):
    trigger = _trigger(workspace, feature, lessons[1], threshold=3, window_hours=24)
    _event(customer, now, minutes_ago=30)
    _event(customer, now, minutes_ago=20)
    evaluate(workspace, at=now - dt.timedelta(minutes=15))
    assert mail.outbox == []

    _event(customer, now, minutes_ago=5)
    evaluate(workspace)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == f"A 3-minute lesson for you: {lessons[1].title}"
    assert "gave you some trouble" in message.body
    delivery = delivery_of(customer, campaign=trigger.campaign)
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.lesson_ids == [lessons[1].pk]
    pin = PinnedLesson.objects.get(customer=customer)
    assert pin.lesson_id == lessons[1].pk
    assert pin.reason == "Because of repeated errors in Invoices"


def test_errors_outside_the_window_do_not_count(
    workspace, lessons, feature, customer, email_settings, evaluate, now
):
    _trigger(workspace, feature, lessons[1], threshold=2, window_hours=1)
    _event(customer, now, minutes_ago=180)
    _event(customer, now, minutes_ago=5)
    evaluate(workspace)
    assert mail.outbox == []


def test_first_use_fires_once_and_only_for_new_users(
    workspace, lessons, feature, email_settings, evaluate, now
):
    _trigger(workspace, feature, lessons[0], kind="first_use")
    newcomer = CustomerFactory(workspace=workspace)
    veteran = CustomerFactory(workspace=workspace)
    _event(veteran, now, kind="used", minutes_ago=60 * 24 * 30)
    evaluate(workspace, at=now - dt.timedelta(hours=2))
    _event(newcomer, now, kind="used")
    _event(veteran, now, kind="used")

    evaluate(workspace)
    _event(newcomer, now, kind="used", minutes_ago=1)
    evaluate(workspace, at=now + dt.timedelta(minutes=5))

    assert [message.to[0] for message in mail.outbox] == [f"{newcomer.name} <{newcomer.email}>"]
    assert "You just started using Invoices" in mail.outbox[0].body


def test_a_support_ticket_sends_the_lesson(
    workspace, lessons, feature, customer, email_settings, evaluate, now
):
    _trigger(workspace, feature, lessons[2], kind="support_ticket")
    _event(customer, now, kind="ticket")
    evaluate(workspace)
    assert len(mail.outbox) == 1
    assert "Thanks for getting in touch about Invoices" in mail.outbox[0].body


def test_no_email_consent_suppresses_the_email_but_still_pins(
    workspace, lessons, feature, email_settings, evaluate, now
):
    trigger = _trigger(workspace, feature, lessons[2], kind="support_ticket")
    customer = CustomerFactory(workspace=workspace, email_consent=False)
    _event(customer, now, kind="ticket")

    evaluate(workspace)

    assert mail.outbox == []
    delivery = EmailDelivery.objects.get(customer=customer, campaign=trigger.campaign)
    assert (delivery.status, delivery.reason) == ("suppressed", "no_consent")
    assert PinnedLesson.objects.filter(customer=customer, lesson=lessons[2]).exists()


def test_no_personalisation_consent_means_no_email_and_no_pin(
    workspace, lessons, feature, email_settings, evaluate, now
):
    _trigger(workspace, feature, lessons[2], kind="support_ticket")
    customer = CustomerFactory(workspace=workspace, personalisation_consent=False)
    _event(customer, now, kind="ticket")

    evaluate(workspace)

    assert mail.outbox == []
    assert not PinnedLesson.objects.filter(customer=customer).exists()


def test_a_completed_lesson_is_not_sent(
    workspace, lessons, feature, customer, email_settings, evaluate, now
):
    _trigger(workspace, feature, lessons[2], kind="support_ticket")
    LessonProgress.objects.create(customer=customer, lesson=lessons[2], status="completed")
    _event(customer, now, kind="ticket")
    evaluate(workspace)
    assert mail.outbox == []


def test_the_frequency_cap_covers_digests_and_triggers(
    workspace, lessons, feature, customer, email_settings, evaluate, plan_digests, now
):
    trigger = _trigger(workspace, feature, lessons[2], kind="support_ticket")
    plan_digests(workspace)
    _event(customer, now, kind="ticket")

    evaluate(workspace)

    assert len(mail.outbox) == 1  # the digest only
    delivery = EmailDelivery.objects.get(customer=customer, campaign=trigger.campaign)
    assert delivery.reason == "frequency_cap"


def test_inactive_triggers_and_other_workspaces_events_do_nothing(
    workspace, other_workspace, lessons, feature, customer, email_settings, evaluate, now
):
    _trigger(workspace, feature, lessons[2], kind="support_ticket", active=False)
    stranger = CustomerFactory(workspace=other_workspace)
    _event(customer, now, kind="ticket")
    _event(stranger, now, kind="ticket")

    evaluate(workspace)

    assert mail.outbox == []
    assert not EmailDelivery.objects.exists()


def test_a_trigger_must_use_its_own_workspaces_feature_and_lesson(
    workspace, other_workspace, lessons
):
    foreign_feature = ProductFeatureFactory(workspace=other_workspace)
    trigger = EmailTrigger(
        workspace=other_workspace,
        name="x",
        kind="first_use",
        feature=foreign_feature,
        lesson=lessons[0],
    )
    with pytest.raises(ValidationError) as error:
        trigger.full_clean()
    assert set(error.value.message_dict) == {"lesson"}

    trigger.workspace = workspace
    with pytest.raises(ValidationError) as error:
        trigger.full_clean()
    assert set(error.value.message_dict) == {"feature"}


def test_a_pin_reaches_the_widget_even_when_its_document_was_just_served(
    workspace, lessons, feature, customer, email_settings, evaluate
):
    _trigger(workspace, feature, lessons[2], kind="support_ticket")
    widget = customer_client(workspace, customer.external_id)
    before = widget.get("/api/v1/me/recommendations").json()  # now a cached document
    at = timezone.now()
    with mute_signals(post_save):  # stored as ingestion stores it: COPY sends no signal
        _event(customer, at, kind="ticket")

    evaluate(workspace, at=at)
    local_caches_clear()  # as another web process, which has no copy of its own

    after = widget.get("/api/v1/me/recommendations").json()
    assert before["results"][0]["lesson"]["id"] != lessons[2].pk
    assert after["results"][0]["lesson"]["id"] == lessons[2].pk
    assert after["results"][0]["source"] == "pinned"
