"""Managing webhook endpoints through the API (secret key)."""

import pytest

from education.webhooks.models import WebhookEndpoint
from tests.api.conftest import server_client

pytestmark = pytest.mark.django_db


def test_create_list_update_delete(workspace):
    client = server_client(workspace)
    created = client.post(
        "/api/v1/webhooks",
        {"url": "https://hooks.example.com/waypoint", "events": ["lesson.completed"]},
        format="json",
    )
    assert created.status_code == 201
    body = created.json()
    assert body["events"] == ["lesson.completed"] and body["active"] is True
    assert workspace.issued_keys.signing_secret not in created.content.decode()
    assert "secret" not in body

    listed = client.get("/api/v1/webhooks").json()
    assert [row["id"] for row in listed["results"]] == [body["id"]]

    patched = client.patch(
        f"/api/v1/webhooks/{body['id']}",
        {"active": False, "events": ["help.requested", "path.completed"]},
        format="json",
    ).json()
    assert patched["active"] is False
    assert patched["events"] == ["help.requested", "path.completed"]
    assert patched["url"] == "https://hooks.example.com/waypoint"

    assert client.delete(f"/api/v1/webhooks/{body['id']}").status_code == 204
    assert client.get(f"/api/v1/webhooks/{body['id']}").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "http://hooks.example.com/x",
        "ftp://hooks.example.com/x",
        "https://127.0.0.1/x",
        "https://10.0.0.8/x",
        "https://localhost/x",
        "https://user:pw@hooks.example.com/x",
    ],
)
def test_only_public_https_urls_are_accepted(workspace, url):
    response = server_client(workspace).post(
        "/api/v1/webhooks", {"url": url, "events": ["lesson.completed"]}, format="json"
    )
    assert response.status_code == 400, url
    assert not WebhookEndpoint.objects.exists()


def test_localhost_http_is_accepted_in_debug(workspace, settings):
    settings.DEBUG = True
    response = server_client(workspace).post(
        "/api/v1/webhooks",
        {"url": "http://localhost:8080/hook", "events": ["lesson.completed"]},
        format="json",
    )
    assert response.status_code == 201


@pytest.mark.parametrize("events", [[], ["lesson.started"], "lesson.completed"])
def test_events_must_be_a_non_empty_subset(workspace, events):
    response = server_client(workspace).post(
        "/api/v1/webhooks", {"url": "https://hooks.example.com/x", "events": events}, format="json"
    )
    assert response.status_code == 400


def test_patch_cannot_move_an_endpoint_to_another_workspace(workspace, other_workspace):
    endpoint = WebhookEndpoint.objects.create(
        workspace=workspace, url="https://hooks.example.com/x", events=["lesson.completed"]
    )
    response = server_client(workspace).patch(
        f"/api/v1/webhooks/{endpoint.pk}",
        {"workspace": other_workspace.pk, "workspace_id": other_workspace.pk, "id": 999},
        format="json",
    )
    assert response.status_code == 200
    endpoint.refresh_from_db()
    assert endpoint.workspace_id == workspace.pk and endpoint.pk != 999
