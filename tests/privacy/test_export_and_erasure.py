"""Export holds every row that references a customer and nothing else; erasure leaves none."""

import json

import pytest
from django.apps import apps
from django.utils import timezone

from education.customers.identity import identity_hash
from education.customers.models import Account, Customer, ErasureRecord, SuppressedIdentity
from education.events.models import RejectedEvent
from education.privacy.services import customer_erase
from education.progress.models import (
    LessonFeedback,
    LessonProgress,
    PathEnrolment,
    PinnedLesson,
    QuizAttempt,
)
from education.webhooks.models import WebhookDelivery, WebhookEndpoint
from tests.api.conftest import customer_client, server_client
from tests.factories import (
    CustomerFactory,
    LearningPathPageFactory,
    LessonPageFactory,
    UsageEventFactory,
)

pytestmark = pytest.mark.django_db


def customer_foreign_keys():
    """Every (model, field) in the project that points at a customer."""
    return [
        (model, field)
        for model in apps.get_models(include_auto_created=True)
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is Customer
    ]


def _rows_of(customer) -> dict[str, set]:
    rows = {}
    for model, field in customer_foreign_keys():
        pks = set(
            model._base_manager.filter(**{field.attname: customer.pk}).values_list("pk", flat=True)
        )
        if pks:
            rows.setdefault(model._meta.label, set()).update(pks)
    return rows


def _fill(customer, workspace, lesson, path, endpoint, marker: str) -> None:
    """At least one row of every kind this project stores about a customer."""
    UsageEventFactory(customer=customer, properties={"marker": marker})
    LessonProgress.objects.create(customer=customer, lesson=lesson)
    QuizAttempt.objects.create(
        customer=customer, lesson=lesson, block_id="b", answers=[0], is_correct=True, score=1
    )
    LessonFeedback.objects.create(customer=customer, lesson=lesson, comment=marker)
    PathEnrolment.objects.create(customer=customer, path=path)
    PinnedLesson.objects.create(customer=customer, lesson=lesson, reason=marker)
    WebhookDelivery.objects.create(
        endpoint=endpoint, customer=customer, event="help.requested", payload={"m": marker}
    )
    RejectedEvent.objects.create(
        workspace=workspace, reason="bad", payload={"userId": customer.external_id, "m": marker}
    )
    _fill_email_rows(customer, workspace, marker)


def _fill_email_rows(customer, workspace, marker: str) -> None:
    try:
        from education.emails.models import BouncedAddress, EmailDelivery
    except ImportError:  # the email app is optional for these tests
        return
    EmailDelivery.objects.create(
        workspace=workspace, customer=customer, campaign="digest", period=marker
    )
    BouncedAddress.objects.create(
        workspace=workspace, customer=customer, email=customer.email, event=marker
    )


@pytest.fixture
def world(workspace):
    lesson = LessonPageFactory(workspace=workspace)
    path = LearningPathPageFactory(workspace=workspace, lessons=[lesson])
    endpoint = WebhookEndpoint.objects.create(
        workspace=workspace, url="https://hooks.example.com/x", events=["help.requested"]
    )
    account = Account.objects.create(workspace=workspace, external_id="acme", name="Acme")
    ada = CustomerFactory(
        workspace=workspace,
        external_id="ada",
        email="ada@example.com",
        name="Ada L",
        account=account,
    )
    bob = CustomerFactory(workspace=workspace, external_id="bob", email="bob@example.com")
    _fill(ada, workspace, lesson, path, endpoint, "ada-marker")
    _fill(bob, workspace, lesson, path, endpoint, "bob-marker")
    return {"ada": ada, "bob": bob, "workspace": workspace}


def test_export_holds_every_row_that_references_the_customer_and_no_other(world):
    ada, bob = world["ada"], world["bob"]
    document = customer_client(world["workspace"], "ada").get("/api/v1/me/export").json()

    exported = {label: {row["id"] for row in rows} for label, rows in document["related"].items()}
    expected = _rows_of(ada)
    assert len(expected) >= 7  # the fixture filled every kind of row this project has
    for label, pks in expected.items():
        assert pks <= exported.get(label, set()), label
    for label, pks in _rows_of(bob).items():
        assert not pks & exported.get(label, set()), label
    assert document["customer"]["external_id"] == "ada"
    assert document["account"]["external_id"] == "acme"
    text = json.dumps(document)
    assert "ada-marker" in text and "bob-marker" not in text and "bob@example.com" not in text
    rejected = document["related"]["events.RejectedEvent"]
    assert [row["payload"]["m"] for row in rejected] == ["ada-marker"]


def test_server_side_export_is_the_same_document(world):
    by_key = server_client(world["workspace"]).get("/api/v1/customers/ada/export").json()
    by_token = customer_client(world["workspace"], "ada").get("/api/v1/me/export").json()
    by_key.pop("exported_at"), by_token.pop("exported_at")
    assert by_key == by_token


def test_erasure_removes_every_row_and_records_suppression_without_personal_data(world):
    ada, bob, workspace = world["ada"], world["bob"], world["workspace"]
    bob_rows = _rows_of(bob)
    response = server_client(workspace).delete("/api/v1/customers/ada")
    assert response.status_code == 204

    assert not Customer.objects.filter(pk=ada.pk).exists()
    assert _rows_of(ada) == {}
    for model, field in customer_foreign_keys():
        assert not model._base_manager.filter(**{field.attname: ada.pk}).exists(), model
    assert not RejectedEvent.objects.filter(payload__userId="ada").exists()
    assert _rows_of(bob) == bob_rows  # nobody else's rows went
    assert Account.objects.filter(external_id="acme").exists()  # the company is not a person

    hashed = identity_hash(workspace_id=workspace.pk, external_id="ada")
    assert SuppressedIdentity.objects.filter(workspace=workspace, identity_hash=hashed).exists()
    record = ErasureRecord.objects.get(workspace=workspace)
    assert record.identity_hash == hashed and record.requested_via == "api"
    assert record.rows_deleted["customers.Customer"] == 1
    assert record.rows_deleted["progress.LessonProgress"] == 1
    audit = json.dumps({"hash": record.identity_hash, "rows": record.rows_deleted})
    for personal in ("ada", "ada@example.com", "Ada L", "ada-marker"):
        assert personal not in audit.replace(hashed, "")


def test_erasure_through_the_widget_and_then_the_token_is_refused(world):
    client = customer_client(world["workspace"], "ada")
    assert client.delete("/api/v1/me").status_code == 204
    assert ErasureRecord.objects.get().requested_via == "widget"
    response = client.get("/api/v1/me/recommendations")
    assert response.status_code == 403 and response.json()["code"] == "erased"
    assert client.delete("/api/v1/me").status_code == 204  # still idempotent


def test_erasing_an_unknown_id_still_suppresses_it(workspace):
    assert server_client(workspace).delete("/api/v1/customers/never-seen").status_code == 204
    hashed = identity_hash(workspace_id=workspace.pk, external_id="never-seen")
    assert SuppressedIdentity.objects.filter(identity_hash=hashed).count() == 1
    assert ErasureRecord.objects.get().rows_deleted == {}
    server_client(workspace).delete("/api/v1/customers/never-seen")
    assert SuppressedIdentity.objects.filter(identity_hash=hashed).count() == 1


def test_erasure_in_one_workspace_leaves_the_same_id_in_another(workspace, other_workspace):
    CustomerFactory(workspace=workspace, external_id="same")
    other = CustomerFactory(workspace=other_workspace, external_id="same")
    customer_erase(workspace=workspace, external_id="same", requested_via="test")
    assert Customer.objects.filter(pk=other.pk).exists()


def test_erasure_removes_the_customer_from_the_recommender_models(ledger):
    """Through the real recommender: the trained artifact no longer holds the customer."""
    from recommender.core.artifacts import load_model
    from recommender.services import model_train

    model = model_train(workspace=ledger.workspace, created_by="test")
    customer = ledger.workspace.customers.get(external_id="g0-1")
    key = str(customer.pk)
    assert key in load_model(model.artifact_path).customer_ids
    customer_erase(workspace=ledger.workspace, external_id="g0-1", requested_via="api")
    assert key not in load_model(model.artifact_path).customer_ids


def test_erasure_audit_is_written_at_erasure_time(workspace):
    before = timezone.now()
    customer_erase(workspace=workspace, external_id="x", requested_via="api")
    assert ErasureRecord.objects.get().erased_at >= before
