"""Webhooks are signed, delivered after commit, retried with backoff, then marked failed."""

import time

import pytest

from education.webhooks.models import DeliveryStatus, WebhookDelivery
from education.webhooks.services import retry_delay_seconds, webhook_endpoint_create
from education.webhooks.signing import signature_verify
from tests.api.conftest import customer_client
from tests.factories import LearningPathPageFactory, LessonPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def endpoint(workspace, receiver, settings):
    settings.DEBUG = True  # plain http to localhost is allowed while developing
    return webhook_endpoint_create(
        workspace=workspace,
        url=receiver.url,
        events=["lesson.completed", "path.completed", "help.requested"],
    )


def test_completed_lesson_is_delivered_signed(
    workspace, endpoint, receiver, eager_celery, django_capture_on_commit_callbacks
):
    lesson = LessonPageFactory(workspace=workspace)
    client = customer_client(workspace, "u1")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/v1/me/lessons/{lesson.pk}/complete")
    assert response.status_code == 200

    assert len(receiver.requests) == 1
    request = receiver.requests[0]
    headers = {name.lower(): value for name, value in request["headers"].items()}
    assert headers["waypoint-event"] == "lesson.completed"
    assert signature_verify(
        secret=workspace.issued_keys.signing_secret,
        header=headers["waypoint-signature"],
        body=request["body"],
        now=int(time.time()),
    )
    assert not signature_verify(
        secret=workspace.issued_keys.signing_secret,
        header=headers["waypoint-signature"],
        body=request["body"] + b" ",
        now=int(time.time()),
    )
    document = receiver.json()
    delivery = WebhookDelivery.objects.get()
    assert headers["waypoint-delivery"] == document["id"] == str(delivery.public_id)
    assert document["event"] == "lesson.completed"
    assert document["data"]["customer"] == {"id": "u1"}
    assert document["data"]["lesson"]["id"] == lesson.pk
    assert delivery.status == DeliveryStatus.SUCCEEDED and delivery.attempts == 1


def test_nothing_is_sent_when_the_transaction_rolls_back(
    workspace, endpoint, receiver, eager_celery, django_capture_on_commit_callbacks
):
    from education.progress.services import lesson_complete
    from tests.factories import CustomerFactory

    lesson, customer = LessonPageFactory(workspace=workspace), CustomerFactory(workspace=workspace)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        lesson_complete(customer=customer, lesson=lesson)
    assert len(callbacks) == 1 and receiver.requests == []


def test_failing_endpoint_is_retried_then_marked_failed(
    workspace, endpoint, receiver, eager_celery, django_capture_on_commit_callbacks, settings
):
    settings.WEBHOOK_MAX_ATTEMPTS = 4
    receiver.status = 500
    lesson = LessonPageFactory(workspace=workspace)
    with django_capture_on_commit_callbacks(execute=True):
        customer_client(workspace, "u1").post(f"/api/v1/me/lessons/{lesson.pk}/complete")
    delivery = WebhookDelivery.objects.get()
    assert len(receiver.requests) == 4
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == 4 and delivery.last_status_code == 500
    # Every attempt is signed afresh with the same delivery id.
    assert len({r["headers"]["Waypoint-Delivery"] for r in receiver.requests}) == 1


def test_unreachable_endpoint_records_the_error(
    workspace, eager_celery, django_capture_on_commit_callbacks, settings
):
    settings.DEBUG, settings.WEBHOOK_MAX_ATTEMPTS, settings.WEBHOOK_TIMEOUT_SECONDS = True, 2, 1
    webhook_endpoint_create(
        workspace=workspace, url="http://127.0.0.1:9/closed", events=["lesson.completed"]
    )
    lesson = LessonPageFactory(workspace=workspace)
    with django_capture_on_commit_callbacks(execute=True):
        customer_client(workspace, "u1").post(f"/api/v1/me/lessons/{lesson.pk}/complete")
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED and delivery.last_error


def test_retry_delays_grow_exponentially(settings):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 30
    assert [retry_delay_seconds(n) for n in range(1, 6)] == [30, 60, 120, 240, 480]


def test_task_asks_celery_to_retry_with_the_backoff_delay(
    workspace, endpoint, receiver, monkeypatch
):
    """Outside eager mode the countdown is what spaces the attempts out."""
    from celery.exceptions import Retry

    from education.progress.services import lesson_complete
    from education.webhooks import tasks
    from tests.factories import CustomerFactory

    receiver.status = 503
    lesson, customer = LessonPageFactory(workspace=workspace), CustomerFactory(workspace=workspace)
    lesson_complete(customer=customer, lesson=lesson)  # on_commit never fires in this test
    delivery = WebhookDelivery.objects.get()
    countdowns = []

    def fake_retry(*, countdown):
        countdowns.append(countdown)
        return Retry()

    monkeypatch.setattr(tasks.webhook_deliver, "retry", fake_retry)
    for _ in range(2):
        with pytest.raises(Retry):
            tasks.webhook_deliver.run(delivery.pk)
    assert countdowns == [retry_delay_seconds(1), retry_delay_seconds(2)]
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING and delivery.next_attempt_at


def test_finished_path_sends_path_completed(
    workspace, endpoint, receiver, eager_celery, django_capture_on_commit_callbacks
):
    first, second = LessonPageFactory(workspace=workspace), LessonPageFactory(workspace=workspace)
    path = LearningPathPageFactory(workspace=workspace, lessons=[first, second])
    client = customer_client(workspace, "u1")
    assert client.get("/api/v1/me/path").json()["path_id"] == path.pk  # enrols
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/api/v1/me/lessons/{first.pk}/complete")
        client.post(f"/api/v1/me/lessons/{second.pk}/complete")
        client.post(f"/api/v1/me/lessons/{second.pk}/complete")  # idempotent: nothing more
    events = [receiver.json(i)["event"] for i in range(len(receiver.requests))]
    assert events == ["lesson.completed", "lesson.completed", "path.completed"]
    assert receiver.json()["data"]["path"] == {"id": path.pk, "title": path.title}
    assert receiver.json()["data"]["lessons"] == [first.pk, second.pk]


def test_help_request_is_delivered_with_its_context(
    workspace, endpoint, receiver, eager_celery, django_capture_on_commit_callbacks
):
    lesson = LessonPageFactory(workspace=workspace)
    client = customer_client(workspace, "u1")
    with django_capture_on_commit_callbacks(execute=True):
        context = client.post(
            f"/api/v1/me/lessons/{lesson.pk}/help", {"message": "Help"}, format="json"
        ).json()["context"]
    document = receiver.json()
    assert document["event"] == "help.requested"
    assert document["data"] == context


def test_inactive_or_unsubscribed_endpoints_get_nothing(
    workspace, receiver, eager_celery, django_capture_on_commit_callbacks, settings
):
    settings.DEBUG = True
    webhook_endpoint_create(
        workspace=workspace, url=receiver.url, events=["lesson.completed"], active=False
    )
    webhook_endpoint_create(workspace=workspace, url=receiver.url, events=["help.requested"])
    lesson = LessonPageFactory(workspace=workspace)
    with django_capture_on_commit_callbacks(execute=True):
        customer_client(workspace, "u1").post(f"/api/v1/me/lessons/{lesson.pk}/complete")
    assert receiver.requests == []
