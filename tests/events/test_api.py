"""The tracking API through Django's test client: responses, storage, error paths."""

import json
from datetime import timedelta
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import override_settings

from education.customers.identity import identity_hash
from education.customers.models import Account, Customer, SuppressedIdentity
from education.events.models import RejectedEvent, UsageEvent
from education.workspaces.models import CredentialKind
from education.workspaces.services import workspace_credential_rotate
from tests.events.conftest import basic_auth, track

pytestmark = pytest.mark.django_db


def counts(response) -> dict:
    body = response.json()
    return {k: body[k] for k in ("accepted", "rejected", "duplicates", "suppressed")}


# --- Success and storage ----------------------------------------------------------------


def test_a_batch_is_stored_and_counted(ingest, workspace):
    response = ingest.batch([track("u1"), track("u2", event="Report Exported")])
    assert response.status_code == 200
    assert response.json()["success"] is True
    assert counts(response) == {"accepted": 2, "rejected": 0, "duplicates": 0, "suppressed": 0}
    assert UsageEvent.objects.filter(workspace=workspace).count() == 2
    assert set(Customer.objects.values_list("external_id", flat=True)) == {"u1", "u2"}


@pytest.mark.parametrize("path", ["/v1/track", "/v1/page", "/v1/screen"])
def test_single_event_endpoints_store_one_event(ingest, path):
    body = {"userId": "u1", "event": "Invoice Sent", "name": "Invoices"}
    assert ingest.post(path, body).status_code == 200
    assert UsageEvent.objects.count() == 1


def test_a_batch_of_new_customers_costs_a_fixed_number_of_queries(
    ingest, django_assert_max_num_queries
):
    ingest.batch([track("warm-up")])  # key and mapping caches filled
    with django_assert_max_num_queries(12):
        response = ingest.batch([track(f"user-{n}") for n in range(100)])
    assert counts(response)["accepted"] == 100


def test_anonymous_events_create_an_anonymous_customer(ingest):
    ingest.batch([track(user_id=None, anonymousId="anon-7")])
    customer = Customer.objects.get()
    assert (customer.external_id, customer.is_anonymous) == ("anon-7", True)


def test_invalid_events_are_kept_as_rejected_and_the_valid_ones_stored(ingest, workspace):
    response = ingest.batch(
        [track("u1"), {"type": "track", "userId": "u1"}, {"type": "track", "event": "E"}, 42]
    )
    assert response.status_code == 200
    assert counts(response) == {"accepted": 1, "rejected": 3, "duplicates": 0, "suppressed": 0}
    rejected = RejectedEvent.objects.filter(workspace=workspace)
    assert rejected.count() == 3
    assert {"type": "track", "userId": "u1"} in [row.payload for row in rejected]


# --- Deduplication ----------------------------------------------------------------------


def test_a_replayed_batch_adds_no_row_and_is_still_a_success(ingest):
    events = [track("u1"), track("u2")]
    ingest.batch(events)
    response = ingest.batch(events)
    assert response.status_code == 200
    assert counts(response) == {"accepted": 0, "rejected": 0, "duplicates": 2, "suppressed": 0}
    assert UsageEvent.objects.count() == 2


def test_a_message_repeated_inside_a_batch_is_stored_once(ingest):
    event = track("u1")
    response = ingest.batch([event, event])
    assert counts(response)["duplicates"] == 1
    assert UsageEvent.objects.count() == 1


def test_events_without_message_id_dedupe_on_their_content(ingest):
    event = track("u1")
    del event["messageId"]
    ingest.batch([event])
    ingest.batch([event], extra={"sentAt": "2026-01-05T10:00:09Z"})
    assert UsageEvent.objects.count() == 1


def test_the_same_message_id_in_two_workspaces_is_two_events(ingest, other_workspace):
    event = track("u1")
    ingest.batch([event])
    ingest.batch([event], key=other_workspace.issued_keys.write_key)
    assert UsageEvent.objects.count() == 2


# --- Customers: identify, group, alias --------------------------------------------------


def test_identify_upserts_the_customer_and_its_traits(ingest, workspace):
    traits = {
        "email": "ada@example.com",
        "firstName": "Ada",
        "lastName": "Lovelace",
        "plan": "pro",
        "groupId": "acme",
        "email_consent": True,
        "personalization": False,
        "favourite": "invoices",
    }
    body = {"userId": "u1", "traits": traits, "context": {"locale": "fr-FR"}}
    assert ingest.post("/v1/identify", body).status_code == 200
    customer = Customer.objects.get(workspace=workspace, external_id="u1")
    assert (customer.email, customer.name, customer.plan, customer.locale) == (
        "ada@example.com",
        "Ada Lovelace",
        "pro",
        "fr-FR",
    )
    assert (customer.email_consent, customer.personalisation_consent) == (True, False)
    assert customer.account.external_id == "acme"
    assert customer.traits["favourite"] == "invoices"

    ingest.post("/v1/identify", {"userId": "u1", "traits": {"plan": "team"}})
    customer.refresh_from_db()
    assert (customer.plan, customer.email) == ("team", "ada@example.com")


def test_group_links_the_customer_to_an_account_with_its_traits(ingest, workspace):
    ingest.post(
        "/v1/group", {"userId": "u1", "groupId": 9, "traits": {"name": "Acme", "plan": "x"}}
    )
    account = Account.objects.get(workspace=workspace, external_id="9")
    assert (account.name, account.plan) == ("Acme", "x")
    assert Customer.objects.get(external_id="u1").account == account


def test_alias_merges_the_anonymous_customer_and_moves_its_events(ingest, workspace):
    ingest.batch([track(None, anonymousId="anon-1"), track(None, anonymousId="anon-1")])
    ingest.batch([track("u1")])
    response = ingest.post("/v1/alias", {"userId": "u1", "previousId": "anon-1"})
    assert response.status_code == 200
    customer = Customer.objects.get(workspace=workspace)
    assert customer.external_id == "u1"
    assert UsageEvent.objects.filter(customer=customer).count() == 3


def test_identify_with_both_ids_merges_the_anonymous_history(ingest, workspace):
    ingest.batch([track(None, anonymousId="anon-1")])
    ingest.post("/v1/identify", {"userId": "u1", "anonymousId": "anon-1", "traits": {}})
    assert list(Customer.objects.values_list("external_id", flat=True)) == ["u1"]
    assert UsageEvent.objects.get().customer.external_id == "u1"


# --- Erasure suppression ----------------------------------------------------------------


def test_events_of_an_erased_customer_are_acknowledged_but_not_stored(ingest, workspace):
    SuppressedIdentity.objects.create(
        workspace=workspace,
        identity_hash=identity_hash(workspace_id=workspace.pk, external_id="gone"),
    )
    response = ingest.batch(
        [track("gone"), {"type": "identify", "userId": "gone", "traits": {}}, track("kept")]
    )
    assert response.status_code == 200
    assert counts(response) == {"accepted": 1, "rejected": 0, "duplicates": 0, "suppressed": 2}
    assert not Customer.objects.filter(external_id="gone").exists()
    assert not RejectedEvent.objects.exists()


# --- Authentication ---------------------------------------------------------------------


def test_write_key_in_the_body_authenticates(ingest):
    body = {"batch": [track()], "writeKey": ingest.write_key}
    assert ingest.post("/v1/batch", body, auth="none").status_code == 200


def test_bearer_write_key_authenticates(ingest):
    assert ingest.batch([track()], auth="bearer").status_code == 200


def test_an_unknown_bearer_token_defers_to_the_write_key_in_the_body(ingest):
    body = {"batch": [track()], "writeKey": ingest.write_key}
    assert ingest.post("/v1/batch", body, auth="bearer", key="oauth-token").status_code == 200


@pytest.mark.parametrize(
    ("auth", "key", "body_key"),
    [
        ("basic", "wk_not-a-key", None),
        ("bearer", "wk_not-a-key", None),
        ("none", "", None),
        ("none", "", "wk_not-a-key"),
        ("none", "", 12345),
        ("basic", "wk_not-a-key", "VALID"),  # a bad Basic key is final
    ],
)
def test_bad_or_missing_keys_get_401_and_store_nothing(ingest, auth, key, body_key):
    body = {"batch": [track()]}
    if body_key is not None:
        body["writeKey"] = ingest.write_key if body_key == "VALID" else body_key
    response = ingest.post("/v1/batch", body, auth=auth, key=key)
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_write_key"
    assert not UsageEvent.objects.exists()


def test_malformed_basic_credentials_get_401(ingest):
    response = ingest.post(
        "/v1/batch", {"batch": []}, auth="none", headers={"HTTP_AUTHORIZATION": "Basic %%%"}
    )
    assert response.status_code == 401


def test_another_workspaces_key_writes_to_that_workspace_only(ingest, workspace, other_workspace):
    ingest.batch([track("u1")], key=other_workspace.issued_keys.write_key)
    assert UsageEvent.objects.get().workspace == other_workspace
    assert not Customer.objects.filter(workspace=workspace).exists()


def test_a_rotated_key_works_during_the_overlap_and_not_after(ingest, workspace):
    old_key = ingest.write_key
    workspace_credential_rotate(
        workspace=workspace, kind=CredentialKind.WRITE_KEY, overlap=timedelta(hours=1)
    )
    assert ingest.batch([track()], key=old_key).status_code == 200
    workspace_credential_rotate(
        workspace=workspace, kind=CredentialKind.WRITE_KEY, overlap=timedelta(0)
    )
    from django.core.cache import cache

    from education.local_cache import local_caches_clear

    cache.clear()  # a revoked key stops within the key caches' lifetime
    local_caches_clear()
    assert ingest.batch([track()], key=old_key).status_code == 401


# --- Request-level errors ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (b"{not json", "invalid_json"),
        (b"[1, 2]", "invalid_request"),
        (b'"batch"', "invalid_request"),
        (b"", "invalid_json"),
        (b'{"batch": "nope"}', "invalid_request"),
    ],
)
def test_unreadable_bodies_get_400_in_the_error_shape(ingest, workspace, raw, code):
    response = ingest.post("/v1/batch", None, raw=raw)
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert set(response.json()) <= {"code", "message", "details"}
    assert RejectedEvent.objects.filter(workspace=workspace).count() == 1


def test_gzip_batches_are_accepted(ingest):
    assert ingest.batch([track(), track()], gzipped=True).status_code == 200
    assert UsageEvent.objects.count() == 2


def test_gzip_garbage_gets_400(ingest):
    response = ingest.post(
        "/v1/batch", None, raw=b"garbage", headers={"HTTP_CONTENT_ENCODING": "gzip"}
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_content_encoding"


def _batch_of_bytes(size: int) -> bytes:
    body = {"batch": [], "pad": ""}
    body["pad"] = "x" * (size - len(json.dumps(body).encode()))
    data = json.dumps(body).encode()
    assert len(data) == size
    return data


@override_settings(INGEST_MAX_BATCH_BYTES=500 * 1024)
def test_a_body_at_the_batch_limit_is_read_and_one_byte_more_is_refused(ingest):
    assert ingest.post("/v1/batch", None, raw=_batch_of_bytes(500 * 1024)).status_code == 200
    response = ingest.post("/v1/batch", None, raw=_batch_of_bytes(500 * 1024 + 1))
    assert response.status_code == 400
    assert response.json()["code"] == "batch_too_large"


@override_settings(INGEST_MAX_BATCH_BYTES=1000)
def test_an_oversize_gzip_body_is_refused_after_bounded_inflation(ingest):
    body = {"batch": [track(properties={"pad": " " * 5000})]}
    response = ingest.post("/v1/batch", body, gzipped=True)
    assert response.status_code == 400
    assert response.json()["code"] == "batch_too_large"


def _event_of_bytes(size: int) -> dict:
    event = track(properties={"pad": ""})
    compact = json.dumps(event, separators=(",", ":"), ensure_ascii=False).encode()
    event["properties"]["pad"] = "x" * (size - len(compact))
    return event


@pytest.mark.parametrize("path", ["/v1/batch", "/v1/track"])
def test_a_32768_byte_event_is_accepted_and_a_32769_byte_one_refused(ingest, workspace, path):
    def send(event):
        return ingest.batch([event]) if path == "/v1/batch" else ingest.post(path, event)

    assert send(_event_of_bytes(32768)).status_code == 200
    refused = _event_of_bytes(32769)
    response = send(refused)
    assert response.status_code == 400
    assert response.json()["code"] == "event_too_large"
    assert UsageEvent.objects.count() == 1
    assert RejectedEvent.objects.get(workspace=workspace).message_id == refused["messageId"]


def test_other_methods_get_405_in_the_error_shape(client):
    response = client.get("/v1/batch")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


# --- Rate limit and outages ---------------------------------------------------------------


def test_a_workspace_over_its_rate_gets_429_with_retry_after(ingest, workspace):
    workspace.ingest_rate_limit = 3
    workspace.save()
    with mock.patch("education.events.rate_limit.time.time", return_value=1_000_000.0):
        assert ingest.batch([track(), track()]).status_code == 200
        response = ingest.batch([track(), track()])
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "1"
    assert response.json()["code"] == "rate_limited"
    assert UsageEvent.objects.count() == 2


def test_a_batch_larger_than_the_rate_passes_when_first_in_its_second(ingest, workspace):
    workspace.ingest_rate_limit = 1
    workspace.save()
    with mock.patch("education.events.rate_limit.time.time", return_value=2_000_000.0):
        assert ingest.batch([track(), track(), track()]).status_code == 200


def test_a_database_outage_gets_503_with_retry_after_and_stores_nothing(ingest):
    with mock.patch(
        "education.events.services.usage_events_insert",
        side_effect=OperationalError("connection refused"),
    ):
        response = ingest.batch([track()])
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    assert response.json()["code"] == "unavailable"
    assert not Customer.objects.exists()


def test_basic_auth_helper_matches_segments_encoding():
    assert basic_auth("abc") == "Basic YWJjOg=="
