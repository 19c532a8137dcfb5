"""Bad input gets a 400 in the one error shape; CORS follows each workspace's origins."""

import pytest
from django.test import override_settings

from tests.api.conftest import customer_client, mint_token, server_client
from tests.factories import LessonPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lesson(workspace):
    return LessonPageFactory(workspace=workspace)


def _post_raw(client, url: str, body: bytes, content_type: str = "application/json"):
    return client.generic("POST", url, body, content_type=content_type)


@pytest.mark.parametrize(
    "body",
    [b"{not json", b'{"helpful": NaN}', b"\xff\xfe", b"[" * 5000 + b"]" * 5000, b'"just a string"'],
)
def test_malformed_json_is_400_in_the_error_shape(workspace, lesson, body):
    client = customer_client(workspace, "u1")
    response = _post_raw(client, f"/api/v1/me/lessons/{lesson.pk}/feedback", body)
    assert response.status_code == 400
    assert set(response.json()) <= {"code", "message", "details"}
    assert response.json()["code"] in {"invalid_json", "invalid_request"}


@override_settings(API_MAX_BODY_BYTES=1024)
def test_oversize_body_is_400(workspace, lesson):
    client = customer_client(workspace, "u1")
    body = b'{"comment": "' + b"x" * 2000 + b'"}'
    response = _post_raw(client, f"/api/v1/me/lessons/{lesson.pk}/feedback", body)
    assert response.status_code == 400
    assert response.json()["code"] == "body_too_large"


def test_non_json_content_type_is_415_in_the_error_shape(workspace, lesson):
    client = customer_client(workspace, "u1")
    response = _post_raw(
        client, f"/api/v1/me/lessons/{lesson.pk}/feedback", b"helpful=1", "text/plain"
    )
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"


def test_wrong_types_are_400(workspace):
    client = server_client(workspace)
    response = client.post("/api/v1/webhooks", {"url": 12, "events": "all"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_request"
    assert "details" in response.json()


def test_unknown_api_route_is_json_404(workspace):
    response = server_client(workspace).get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_method_not_allowed_is_405_in_the_error_shape(workspace):
    response = server_client(workspace).delete("/api/v1/lessons")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


# --- CORS --------------------------------------------------------------------------------


@pytest.fixture
def widget_workspace(workspace):
    workspace.allowed_origins = ["https://app.ledgerly.test"]
    workspace.save()
    return workspace


def test_preflight_from_an_allowed_origin(widget_workspace, client):
    response = client.options(
        "/api/v1/me/recommendations",
        HTTP_ORIGIN="https://app.ledgerly.test",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, cache-control, x-waypoint-key",
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "https://app.ledgerly.test"
    assert "x-waypoint-key" in response["Access-Control-Allow-Headers"]
    # The widget asks for fresh answers after its own writes.
    assert "cache-control" in response["Access-Control-Allow-Headers"]


def test_preflight_for_erasure_route_without_trailing_path(widget_workspace, client):
    response = client.options(
        "/api/v1/me",
        HTTP_ORIGIN="https://app.ledgerly.test",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="DELETE",
    )
    assert response["Access-Control-Allow-Origin"] == "https://app.ledgerly.test"


def test_preflight_from_an_unknown_origin_gets_no_cors_headers(widget_workspace, client):
    response = client.options(
        "/api/v1/me/recommendations",
        HTTP_ORIGIN="https://evil.test",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert "Access-Control-Allow-Origin" not in response


def test_actual_request_from_the_workspace_origin_is_allowed(widget_workspace):
    client = customer_client(widget_workspace, "u1")
    response = client.get("/api/v1/me/preferences", HTTP_ORIGIN="https://app.ledgerly.test")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "https://app.ledgerly.test"


def test_origin_of_another_workspace_is_refused(widget_workspace, other_workspace):
    other_workspace.allowed_origins = ["https://other.test"]
    other_workspace.save()
    client = customer_client(widget_workspace, "u1")
    response = client.get("/api/v1/me/preferences", HTTP_ORIGIN="https://other.test")
    assert response.status_code == 403
    assert response.json()["code"] == "origin_not_allowed"
    assert "Access-Control-Allow-Origin" not in response


def test_server_routes_never_answer_cors(widget_workspace):
    response = server_client(widget_workspace).get(
        "/api/v1/lessons", HTTP_ORIGIN="https://app.ledgerly.test"
    )
    assert "Access-Control-Allow-Origin" not in response


def test_same_origin_requests_need_no_listing(workspace):
    token = mint_token(workspace.issued_keys.signing_secret, "u1")
    client = customer_client(workspace, "u1", token=token)
    response = client.get("/api/v1/me/preferences", HTTP_ORIGIN="http://testserver")
    assert response.status_code == 200
