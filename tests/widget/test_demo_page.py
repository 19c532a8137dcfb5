"""The widget's demo page: a fake product page that mints a customer token server side."""

import time

import jwt
import pytest
from django.contrib.staticfiles import finders
from django.test import override_settings

from education.widget.selectors import workspace_publishable_key
from education.workspaces.services import workspace_credential_rotate
from tests.factories import CustomerFactory, WorkspaceFactory

pytestmark = pytest.mark.django_db

DEMO_URL = "/demo/"


@pytest.fixture
def ledgerly():
    return WorkspaceFactory(name="Ledgerly", slug="ledgerly")


@pytest.fixture
def demo_enabled(settings):
    settings.WIDGET_DEMO_ENABLED = True


def _claims(response, secret):
    token = response.context["customer_token"]
    return jwt.decode(token, secret, algorithms=["HS256"])


@override_settings(WIDGET_DEMO_ENABLED=False, DEBUG=False)
def test_demo_is_not_found_when_disabled(client, ledgerly):
    CustomerFactory(workspace=ledgerly)

    assert client.get(DEMO_URL).status_code == 404


def test_demo_follows_debug_by_default(client, settings, ledgerly):
    CustomerFactory(workspace=ledgerly)
    del settings.WIDGET_DEMO_ENABLED
    settings.DEBUG = False

    assert client.get(DEMO_URL).status_code == 404


def test_demo_asks_to_run_seed_demo_without_the_workspace(client, demo_enabled):
    response = client.get(DEMO_URL)

    assert response.status_code == 503
    assert b"manage.py seed_demo" in response.content


def test_demo_says_when_the_workspace_has_no_customers(client, demo_enabled, ledgerly):
    response = client.get(DEMO_URL)

    assert response.status_code == 503
    assert b"no customers" in response.content


def test_demo_embeds_the_widget_with_key_and_token_for_the_first_customer(
    client, demo_enabled, ledgerly
):
    first = CustomerFactory(workspace=ledgerly, external_id="cust-1", name="Ada")
    CustomerFactory(workspace=ledgerly, external_id="cust-2")

    response = client.get(DEMO_URL)

    assert response.status_code == 200
    assert response.context["customer"] == first
    assert response.context["publishable_key"] == ledgerly.issued_keys.publishable_key
    body = response.content.decode()
    assert ledgerly.issued_keys.publishable_key in body
    assert "/static/waypoint/widget.js" in body
    assert 'id="waypoint"' in body


def test_demo_token_is_hs256_for_the_customer_and_expires_within_the_hour(
    client, demo_enabled, ledgerly
):
    CustomerFactory(workspace=ledgerly, external_id="cust-1")

    response = client.get(DEMO_URL)

    claims = _claims(response, ledgerly.issued_keys.signing_secret)
    assert claims["sub"] == "cust-1"
    assert 3500 <= claims["exp"] - time.time() <= 3600
    assert jwt.get_unverified_header(response.context["customer_token"])["alg"] == "HS256"


def test_demo_never_shows_the_signing_secret(client, demo_enabled, ledgerly):
    CustomerFactory(workspace=ledgerly)

    response = client.get(DEMO_URL)

    assert ledgerly.issued_keys.signing_secret not in response.content.decode()
    assert ledgerly.issued_keys.write_key not in response.content.decode()


def test_demo_selects_another_customer_by_external_id(client, demo_enabled, ledgerly):
    CustomerFactory(workspace=ledgerly, external_id="cust-1")
    CustomerFactory(workspace=ledgerly, external_id="cust-2")

    response = client.get(DEMO_URL, {"customer": "cust-2"})

    assert response.status_code == 200
    assert _claims(response, ledgerly.issued_keys.signing_secret)["sub"] == "cust-2"


def test_demo_refuses_an_unknown_customer(client, demo_enabled, ledgerly):
    CustomerFactory(workspace=ledgerly, external_id="cust-1")

    response = client.get(DEMO_URL, {"customer": "nobody"})

    assert response.status_code == 404
    assert "customer_token" not in response.context


def test_demo_does_not_reach_customers_of_other_workspaces(
    client, demo_enabled, ledgerly, other_workspace
):
    CustomerFactory(workspace=ledgerly, external_id="cust-1")
    CustomerFactory(workspace=other_workspace, external_id="outsider")

    response = client.get(DEMO_URL, {"customer": "outsider"})

    assert response.status_code == 404


def test_demo_escapes_a_hostile_customer_name(client, demo_enabled, ledgerly):
    CustomerFactory(workspace=ledgerly, name="</script><script>alert(1)</script>")

    body = client.get(DEMO_URL).content.decode()

    assert "<script>alert(1)</script>" not in body


def test_demo_page_is_not_cached(client, demo_enabled, ledgerly):
    CustomerFactory(workspace=ledgerly)

    response = client.get(DEMO_URL)

    assert response["Cache-Control"] == "no-store"


def test_demo_uses_the_newest_keys_after_a_rotation(client, demo_enabled, ledgerly):
    CustomerFactory(workspace=ledgerly, external_id="cust-1")
    new_key = workspace_credential_rotate(workspace=ledgerly, kind="publishable_key")
    new_secret = workspace_credential_rotate(workspace=ledgerly, kind="signing_secret")

    response = client.get(DEMO_URL)

    assert workspace_publishable_key(ledgerly) == new_key
    assert response.context["publishable_key"] == new_key
    assert _claims(response, new_secret)["sub"] == "cust-1"


def test_demo_only_answers_get(client, demo_enabled, ledgerly):
    CustomerFactory(workspace=ledgerly)

    assert client.post(DEMO_URL).status_code == 405


def test_widget_script_is_a_static_file():
    assert finders.find("waypoint/widget.js")
