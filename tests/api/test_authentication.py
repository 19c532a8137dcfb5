"""Credentials: secret key (Bearer or Basic) and customer tokens (JWT HS256)."""

import base64
import time

import jwt
import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from education.customers.identity import identity_hash
from education.customers.models import Customer, SuppressedIdentity
from tests.api.conftest import customer_client, mint_token, server_client

pytestmark = pytest.mark.django_db


def test_write_key_as_bearer_token(workspace):
    assert server_client(workspace).get("/api/v1/lessons").status_code == 200


def test_write_key_as_basic_user_name(workspace):
    client = APIClient()
    basic = base64.b64encode(f"{workspace.issued_keys.write_key}:".encode()).decode()
    client.credentials(HTTP_AUTHORIZATION=f"Basic {basic}")
    assert client.get("/api/v1/lessons").status_code == 200


def test_unknown_write_key_is_401_in_the_error_shape(workspace):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer wk_unknown")
    response = client.get("/api/v1/lessons")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_missing_credentials_is_401(workspace):
    response = APIClient().get("/api/v1/lessons")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_malformed_basic_credentials_is_401(workspace):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Basic %%%not-base64")
    assert client.get("/api/v1/lessons").status_code == 401


def test_customer_token_creates_the_customer_on_first_use(workspace):
    response = customer_client(workspace, "new-user").get("/api/v1/me/preferences")
    assert response.status_code == 200
    assert Customer.objects.filter(workspace=workspace, external_id="new-user").exists()


def test_erased_customer_gets_403_erased_and_is_not_recreated(workspace):
    SuppressedIdentity.objects.create(
        workspace=workspace,
        identity_hash=identity_hash(workspace_id=workspace.pk, external_id="gone"),
    )
    response = customer_client(workspace, "gone").get("/api/v1/me/recommendations")
    assert response.status_code == 403
    assert response.json()["code"] == "erased"
    assert not Customer.objects.filter(workspace=workspace, external_id="gone").exists()


def test_expired_token_is_401_token_expired(workspace):
    token = mint_token(workspace.issued_keys.signing_secret, "u1", lifetime=-120)
    response = customer_client(workspace, "u1", token=token).get("/api/v1/me/preferences")
    assert response.status_code == 401
    assert response.json()["code"] == "token_expired"


def test_token_living_longer_than_the_maximum_is_401(workspace):
    token = mint_token(workspace.issued_keys.signing_secret, "u1", lifetime=25 * 3600)
    response = customer_client(workspace, "u1", token=token).get("/api/v1/me/preferences")
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_token"


def test_token_without_iat_counts_its_lifetime_from_now(workspace):
    secret = workspace.issued_keys.signing_secret
    short = jwt.encode({"sub": "u1", "exp": int(time.time()) + 600}, secret, algorithm="HS256")
    long = jwt.encode({"sub": "u1", "exp": int(time.time()) + 48 * 3600}, secret, "HS256")
    assert customer_client(workspace, "u1", token=short).get("/api/v1/me").status_code == 200
    assert customer_client(workspace, "u1", token=long).get("/api/v1/me").status_code == 401


@override_settings(CUSTOMER_TOKEN_MAX_AGE_SECONDS=3600)
def test_maximum_lifetime_comes_from_settings(workspace):
    token = mint_token(workspace.issued_keys.signing_secret, "u1", lifetime=2 * 3600)
    assert customer_client(workspace, "u1", token=token).get("/api/v1/me").status_code == 401


@pytest.mark.parametrize("missing", ["exp", "sub"])
def test_token_without_required_claim_is_401(workspace, missing):
    claims = {"sub": "u1", "exp": int(time.time()) + 600}
    del claims[missing]
    token = jwt.encode(claims, workspace.issued_keys.signing_secret, algorithm="HS256")
    assert customer_client(workspace, "u1", token=token).get("/api/v1/me").status_code == 401


def test_non_string_sub_is_401(workspace):
    token = jwt.encode(
        {"sub": 42, "exp": int(time.time()) + 600},
        workspace.issued_keys.signing_secret,
        algorithm="HS256",
    )
    assert customer_client(workspace, "42", token=token).get("/api/v1/me").status_code == 401


def test_garbage_token_is_401(workspace):
    response = customer_client(workspace, "u1", token="not.a.jwt").get("/api/v1/me")
    assert response.status_code == 401


def test_publishable_key_without_token_is_401(workspace):
    client = APIClient()
    client.credentials(HTTP_X_WAYPOINT_KEY=workspace.issued_keys.publishable_key)
    assert client.get("/api/v1/me").status_code == 401


def test_unknown_publishable_key_is_401(workspace):
    token = mint_token(workspace.issued_keys.signing_secret, "u1")
    client = APIClient()
    client.credentials(HTTP_X_WAYPOINT_KEY="pk_unknown", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert client.get("/api/v1/me").status_code == 401


def test_token_signed_with_a_rotated_out_secret_keeps_working_during_the_overlap(workspace):
    from education.workspaces.services import workspace_credential_rotate

    old_secret = workspace.issued_keys.signing_secret
    new_secret = workspace_credential_rotate(workspace=workspace, kind="signing_secret")
    for secret in (old_secret, new_secret):
        token = mint_token(secret, "u1")
        assert customer_client(workspace, "u1", token=token).get("/api/v1/me").status_code == 200


def test_write_key_is_refused_on_customer_token_routes(workspace):
    assert server_client(workspace).get("/api/v1/me/preferences").status_code == 401


def test_customer_token_is_refused_on_server_routes(workspace):
    client = customer_client(workspace, "u1")
    assert client.get("/api/v1/lessons").status_code == 401
    assert client.get("/api/v1/customers/u1").status_code == 401


def test_nul_characters_in_ids_are_not_found_not_server_errors(workspace):
    """PostgreSQL refuses NUL in text; such ids simply do not exist."""
    assert server_client(workspace).get("/api/v1/customers/a%00b").status_code == 404
    token = mint_token(workspace.issued_keys.signing_secret, "x\x00y")
    assert customer_client(workspace, "x", token=token).get("/api/v1/me").status_code == 401
    client = APIClient()
    client.credentials(HTTP_X_WAYPOINT_KEY="pk_\x00", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert client.get("/api/v1/me").status_code == 401


def test_a_token_verified_before_is_refused_once_it_expires(workspace, monkeypatch):
    from education.api import authentication

    client = customer_client(workspace, "u1", token=mint_token(_secret(workspace), "u1"))
    assert client.get("/api/v1/me").status_code == 200  # verified, and remembered

    later = time.time() + 601 + authentication.TOKEN_LEEWAY_SECONDS
    monkeypatch.setattr(authentication.time, "time", lambda: later)
    response = client.get("/api/v1/me")

    assert response.status_code == 401
    assert response.json()["code"] == "token_expired"


def test_a_revoked_signing_secret_stops_working_at_once(
    workspace, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from education.workspaces.services import workspace_credential_rotate

    old = customer_client(workspace, "u1", token=mint_token(_secret(workspace), "u1"))
    assert old.get("/api/v1/me").status_code == 200  # verified, and remembered
    with django_capture_on_commit_callbacks(execute=True):
        new_secret = workspace_credential_rotate(
            workspace=workspace, kind="signing_secret", overlap=timedelta(0)
        )

    assert old.get("/api/v1/me").status_code == 401
    new = customer_client(workspace, "u1", token=mint_token(new_secret, "u1"))
    assert new.get("/api/v1/me").status_code == 200


def _secret(workspace) -> str:
    return workspace.issued_keys.signing_secret
