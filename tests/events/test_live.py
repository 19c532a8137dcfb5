"""Stock SDKs and concurrent clients against a live server."""

import http.client
import json
import sys
import threading
import uuid
from urllib.parse import urlsplit

import pytest

from education.customers.models import Customer
from education.events.models import UsageEvent
from tests.events.conftest import basic_auth, track

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _deliver_with(client_class, write_key: str, host: str, user_id: str) -> list:
    errors: list = []
    client = client_class(
        write_key,
        host=host,
        gzip=True,
        upload_size=50,
        upload_interval=0.05,
        max_retries=3,
        on_error=lambda error, batch: errors.append(error),
    )
    user_id = f"{user_id}-user"
    client.identify(user_id, {"email": "ada@example.com", "plan": "pro"})
    message_ids = [str(uuid.uuid4()) for _ in range(120)]
    for n, message_id in enumerate(message_ids):
        client.track(user_id, "Invoice Sent", {"n": n}, message_id=message_id)
    # An SDK that retries after a lost reply sends the same messages again.
    for message_id in message_ids[:30]:
        client.track(user_id, "Invoice Sent", {"n": -1}, message_id=message_id)
    client.flush()
    client.join()
    # The SDKs keep a module-wide keep-alive session; the live server's thread serving it
    # holds a database connection until it closes, which would block the test database's
    # teardown.
    sys.modules[client_class.__module__.rsplit(".", 1)[0] + ".request"]._session.close()
    return errors


def test_stock_sdks_deliver_identify_track_and_gzip_batches_exactly_once(live_server, workspace):
    from segment.analytics.client import Client as SegmentClient

    clients = {"segment": SegmentClient}
    try:
        from rudderstack.analytics.client import Client as RudderClient

        clients["rudderstack"] = RudderClient
    except ImportError:  # optional: the test still covers Segment's SDK
        pass
    for name, client_class in clients.items():
        write_key = workspace.issued_keys.write_key
        assert _deliver_with(client_class, write_key, live_server.url, name) == [], name
        customer = Customer.objects.get(workspace=workspace, external_id=f"{name}-user")
        assert (customer.email, customer.plan) == ("ada@example.com", "pro"), name
        assert UsageEvent.objects.filter(customer=customer).count() == 120, name


def _post(url: str, body: bytes, write_key: str) -> tuple[int, dict, dict]:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request(
            "POST",
            "/v1/batch",
            body=body,
            headers={"Content-Type": "application/json", "Authorization": basic_auth(write_key)},
        )
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), json.loads(response.read())
    finally:
        connection.close()


def test_the_same_messages_posted_concurrently_are_stored_once(live_server, workspace):
    events = [track(f"user-{n % 3}") for n in range(10)]
    body = json.dumps({"batch": events}).encode()
    start = threading.Barrier(6)
    replies: list[tuple[int, dict, dict]] = []

    def client() -> None:
        start.wait()
        for _ in range(5):  # an SDK retries 503 and 429
            status, headers, reply = _post(live_server.url, body, workspace.issued_keys.write_key)
            if status not in (429, 503):
                break
            assert "Retry-After" in headers
        replies.append((status, headers, reply))

    threads = [threading.Thread(target=client) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert [status for status, _, _ in replies] == [200] * 6
    assert sum(reply["accepted"] for _, _, reply in replies) == 10
    assert sum(reply["duplicates"] for _, _, reply in replies) == 50
    assert UsageEvent.objects.filter(workspace=workspace).count() == 10
    assert Customer.objects.filter(workspace=workspace).count() == 3
