import base64
import json

import pytest

from recommender.response_cache import served_document
from recommender.services import model_activate, model_train
from tests.factories import CustomerFactory, LessonPageFactory
from tests.recommender.conftest import complete

pytestmark = pytest.mark.django_db


class Builder:
    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return {"built": self.calls}


@pytest.fixture
def customer(workspace):
    return CustomerFactory(workspace=workspace)


def _serve(customer, builder):
    return served_document(
        workspace_id=customer.workspace_id, customer_id=customer.pk, name="test", build=builder
    )


def test_a_document_is_built_once_while_nothing_changes(customer):
    builder = Builder()

    assert _serve(customer, builder) == _serve(customer, builder) == {"built": 1}


def test_progress_and_preferences_refresh_the_document(customer):
    builder = Builder()
    _serve(customer, builder)

    complete(customer, LessonPageFactory(workspace=customer.workspace))
    assert _serve(customer, builder) == {"built": 2}

    customer.personalisation_consent = False
    customer.save()
    assert _serve(customer, builder) == {"built": 3}


def test_events_ingested_for_the_customer_refresh_the_document(client, customer):
    builder = Builder()
    _serve(customer, builder)
    other = CustomerFactory(workspace=customer.workspace)
    _serve(other, builder)
    key = base64.b64encode(f"{customer.workspace.issued_keys.write_key}:".encode()).decode()

    response = client.post(
        "/v1/track",
        data=json.dumps({"userId": customer.external_id, "event": "Invoice Sent"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Basic {key}",
    )

    assert response.status_code == 200
    assert _serve(customer, builder) == {"built": 3}
    assert _serve(other, builder) == {"built": 2}  # untouched customers stay cached


def test_publishing_a_page_and_activating_a_model_refresh_the_document(
    ledger, django_capture_on_commit_callbacks
):
    customer = CustomerFactory(workspace=ledger.workspace)
    builder = Builder()
    _serve(customer, builder)

    LessonPageFactory(workspace=ledger.workspace)
    assert _serve(customer, builder) == {"built": 2}

    with django_capture_on_commit_callbacks(execute=True):
        model = model_train(workspace=ledger.workspace, created_by="test", force=True)
        model_activate(model=model)
    assert _serve(customer, builder) == {"built": 3}


def test_another_process_change_shows_within_seconds_and_at_once_when_asked(customer):
    from django.core.cache import cache

    from recommender.freshness import served_local, state_token_key

    builder = Builder()
    _serve(customer, builder)
    # Another process recorded progress: it replaced the shared token, not our copy.
    cache.set(state_token_key(customer.pk), "changed-elsewhere")

    assert _serve(customer, builder) == {"built": 1}  # this process's copy, seconds old
    fresh = served_document(
        workspace_id=customer.workspace_id,
        customer_id=customer.pk,
        name="test",
        build=builder,
        fresh=True,
    )
    assert fresh == {"built": 2}
    served_local.forget()  # as when the copy's seconds are up
    cache.set(state_token_key(customer.pk), "changed-again")
    assert _serve(customer, builder) == {"built": 3}


def test_a_fresh_answer_is_asked_for_with_cache_control(customer):
    from tests.api.conftest import customer_client

    api = customer_client(customer.workspace, customer.external_id)
    response = api.get("/api/v1/me/path", HTTP_CACHE_CONTROL="no-cache")

    assert response.status_code == 200
