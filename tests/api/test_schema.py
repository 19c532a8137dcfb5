"""The OpenAPI schema is valid, and the API keeps to it: schemathesis generates requests
from the schema (fixed seed, bounded examples) and no response is a 5xx or off-schema."""

import json

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from education.progress.models import LessonProgress
from education.webhooks.models import WebhookEndpoint
from recommender.models import RecommenderModel
from tests.api.conftest import mint_token
from tests.factories import CustomerFactory, LearningPathPageFactory, LessonPageFactory

EXAMPLES_PER_OPERATION = 8


def openapi_schema() -> dict:
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    schema = SchemaGenerator(urlconf="education.api.schema_urls").get_schema(public=True)
    return json.loads(OpenApiJsonRenderer().render(schema))


def test_schema_validates_without_warnings(tmp_path):
    call_command(
        "spectacular",
        "--urlconf=education.api.schema_urls",
        "--validate",
        "--fail-on-warn",
        f"--file={tmp_path / 'schema.yaml'}",
    )


def test_schema_is_served_and_documents_both_security_schemes(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert set(schema["components"]["securitySchemes"]) == {
        "writeKey",
        "publishableKey",
        "customerToken",
    }
    assert all(path.startswith("/api/v1/") for path in schema["paths"])
    assert schema["paths"]["/api/v1/me/recommendations"]["get"]["security"] == [
        {"publishableKey": [], "customerToken": []}
    ]
    assert client.get("/api/docs/").status_code == 200


def test_customer_token_routes_never_show_quiz_answers_in_the_schema():
    schema = openapi_schema()
    text = json.dumps(schema["paths"]["/api/v1/me/lessons/{lesson_id}"])
    assert "correct_answers" not in text


@pytest.fixture
def fuzz_world(workspace):
    lesson = LessonPageFactory(workspace=workspace)
    LearningPathPageFactory(workspace=workspace, lessons=[lesson])
    customer = CustomerFactory(workspace=workspace, external_id="fuzz-user")
    LessonProgress.objects.create(customer=customer, lesson=lesson)
    endpoint = WebhookEndpoint.objects.create(
        workspace=workspace, url="https://hooks.example.com/x", events=["lesson.completed"]
    )
    model = RecommenderModel.objects.create(
        workspace=workspace,
        version="fuzz-v1",
        algorithm="als",
        data_until=customer.created_at,
        artifact_path="/nonexistent",
        created_by="test",
    )
    real = {
        "lesson_id": lesson.pk,
        "block_id": next(b.id for b in lesson.body if b.block_type == "quiz"),
        "customer_id": "fuzz-user",
        "webhook_id": endpoint.pk,
        "path_id": lesson.get_parent().pk,
        "version": model.version,
    }
    keys = workspace.issued_keys
    token = mint_token(keys.signing_secret, "fuzz-user", lifetime=3600)
    headers = {
        "server": {"Authorization": f"Bearer {keys.write_key}"},
        "customer": {
            "Authorization": f"Bearer {token}",
            "X-Waypoint-Key": keys.publishable_key,
        },
    }
    return real, headers


def _fuzz(operation, headers: dict, real: dict) -> None:
    from schemathesis.checks import (
        content_type_conformance,
        not_a_server_error,
        response_schema_conformance,
    )

    checks = (not_a_server_error, response_schema_conformance, content_type_conformance)

    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(), use_real_ids=st.booleans())
    def check(case, use_real_ids):
        if use_real_ids and case.path_parameters:
            case.path_parameters = {
                name: real.get(name, value) for name, value in case.path_parameters.items()
            }
        response = case.call_wsgi(headers=headers)
        case.validate_response(response, checks=checks)

    check()


@pytest.fixture
def keep_test_connection():
    """As Django's test client does: the WSGI app must not close the test's connection
    (it holds the test's transaction) at the start and end of each request."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ["server", "customer"])
def test_schemathesis_finds_no_server_error_and_no_schema_violation(
    fuzz_world, actor, keep_test_connection
):
    import schemathesis
    from django.core.wsgi import get_wsgi_application

    real, headers = fuzz_world
    schema = schemathesis.from_dict(openapi_schema(), app=get_wsgi_application())
    operations = [result.ok() for result in schema.get_all_operations()]
    mine = [
        operation
        for operation in operations
        if operation.path.startswith("/api/v1/me") == (actor == "customer")
    ]
    assert len(mine) > 10
    # Destructive operations last, so the others still meet the real rows.
    for operation in sorted(mine, key=lambda op: op.method.upper() == "DELETE"):
        _fuzz(operation, headers[actor], real)
