"""A database outage under load: every 2xx is stored, everything else is retryable.

The server (gunicorn, as in production) reaches PostgreSQL through a proxy this test
cuts mid-run; the shared PostgreSQL server itself is never stopped.
"""

import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from education.events.models import UsageEvent
from tests.events.conftest import basic_auth, track
from tests.events.tcp_proxy import TcpProxy

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="needs PostgreSQL (DATABASE_URL=postgres://...)",
    ),
]

ROOT = Path(__file__).resolve().parents[2]
CLIENTS = 4
BATCHES_PER_CLIENT = 25
EVENTS_PER_BATCH = 20


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_serving(port: int, server: subprocess.Popen, deadline: float) -> None:
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn exited")
        try:
            connection_ = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection_.request("GET", "/healthz")
            if connection_.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("gunicorn did not start")


@pytest.fixture
def proxy():
    database = connection.settings_dict
    proxy = TcpProxy((database["HOST"] or "127.0.0.1", int(database["PORT"] or 5432))).start()
    yield proxy
    proxy.close()
    # The server's sessions end a moment after their sockets close; the test database
    # cannot be flushed or dropped while they linger.
    deadline = time.monotonic() + 15
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0] == 0:
                break
            time.sleep(0.1)


@pytest.fixture
def server_port(proxy, tmp_path):
    database = connection.settings_dict
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{database['USER']}@127.0.0.1:{proxy.port}/{database['NAME']}"
        ),
        "DEBUG": "true",
        "LOG_LEVEL": "ERROR",
    }
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "education.wsgi", "--bind", f"127.0.0.1:{port}"]
        + ["--workers", "2", "--timeout", "30"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_until_serving(port, server, time.monotonic() + 60)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def _post(port: int, body: bytes, write_key: str) -> tuple[int, dict]:
    connection_ = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection_.request(
            "POST",
            "/v1/batch",
            body=body,
            headers={"Content-Type": "application/json", "Authorization": basic_auth(write_key)},
        )
        response = connection_.getresponse()
        response.read()
        return response.status, dict(response.getheaders())
    finally:
        connection_.close()


def test_every_acknowledged_event_survives_a_database_outage(proxy, server_port, workspace):
    write_key = workspace.issued_keys.write_key
    acknowledged: set[str] = set()
    statuses: list[int] = []
    missing_retry_after: list[int] = []
    lock = threading.Lock()
    outage_seen = threading.Event()
    halfway = threading.Event()

    def client(number: int) -> None:
        for batch_number in range(BATCHES_PER_CLIENT):
            if number == 0 and batch_number == BATCHES_PER_CLIENT // 3:
                halfway.set()
            events = [track(f"user-{number}-{n % 5}") for n in range(EVENTS_PER_BATCH)]
            body = json.dumps({"batch": events}).encode()
            while True:  # like an SDK: retry 429 and 5xx, give up on other 4xx
                status, headers = _post(server_port, body, write_key)
                with lock:
                    statuses.append(status)
                    if status in (429, 503) and "Retry-After" not in headers:
                        missing_retry_after.append(status)
                if status == 200:
                    with lock:
                        acknowledged.update(event["messageId"] for event in events)
                    break
                if status not in (429, 503) and status < 500:
                    return
                outage_seen.set()
                time.sleep(0.05)  # the test does not wait the whole Retry-After

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    assert halfway.wait(60)
    proxy.cut()
    outage_seen.wait(20)
    time.sleep(0.5)  # several retries against the outage
    proxy.restore()
    for thread in threads:
        thread.join(120)

    assert outage_seen.is_set(), "the outage was not observed by any client"
    assert set(statuses) <= {200, 429, 503}, f"unexpected statuses: {set(statuses)}"
    assert missing_retry_after == []
    stored = list(
        UsageEvent.objects.filter(workspace=workspace).values_list("message_id", flat=True)
    )
    assert len(stored) == len(set(stored))
    assert acknowledged <= set(stored)
    assert len(acknowledged) == CLIENTS * BATCHES_PER_CLIENT * EVENTS_PER_BATCH
