"""Outages under load: every 2xx is stored, everything else is retryable.

The server (gunicorn, as in production) reaches PostgreSQL and Redis through proxies these
tests cut mid-run (the shared servers themselves are never stopped), or loses a worker
process to SIGKILL. Clients behave like an SDK: they retry 429, 5xx and lost connections.
"""

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

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


def _redis_location() -> tuple[str, int, str] | None:
    """(host, port, database path) of the cache when it is Redis, else None."""
    location = str(settings.CACHES["default"].get("LOCATION", ""))
    if not location.startswith("redis://"):
        return None
    url = urlsplit(location)
    return url.hostname or "127.0.0.1", url.port or 6379, url.path


@pytest.fixture
def database_proxy():
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
def redis_proxy():
    location = _redis_location()
    if location is None:
        pytest.skip("needs the cache on Redis (CACHE_URL=redis://...)")
    host, port, path = location
    proxy = TcpProxy((host, port)).start()
    proxy.cache_url = f"redis://127.0.0.1:{proxy.port}{path}"
    yield proxy
    proxy.close()


@pytest.fixture
def start_server(database_proxy, tmp_path):
    """Starts gunicorn (2 sync workers) on the test database, through the database proxy."""
    servers: list[subprocess.Popen] = []
    logs = []

    def start(**environment: str) -> Server:
        database = connection.settings_dict
        port = _free_port()
        env = {
            **os.environ,
            "DATABASE_URL": (
                f"postgres://{database['USER']}@127.0.0.1:{database_proxy.port}/{database['NAME']}"
            ),
            "DEBUG": "true",
            "LOG_LEVEL": "ERROR",
            **environment,
        }
        log_path = tmp_path / f"gunicorn-{len(servers)}.log"
        log = log_path.open("w")
        logs.append(log)
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "education.wsgi", "--bind", f"127.0.0.1:{port}"]
            + ["--workers", "2", "--timeout", "30"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        servers.append(server)
        _wait_until_serving(port, server, time.monotonic() + 60)
        return Server(port, server, log_path)

    yield start
    for server in servers:
        server.terminate()
        server.wait(timeout=30)
    for log in logs:
        log.close()


class Server(NamedTuple):
    port: int
    process: subprocess.Popen
    log_path: Path

    def worker_pids(self) -> set[int]:
        found = subprocess.run(
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True
        )
        return {int(pid) for pid in found.stdout.split()}


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


@dataclass
class LoadRun:
    """What the clients saw: every status, and the messages acknowledged with a 200."""

    acknowledged: set[str] = field(default_factory=set)
    statuses: list[int] = field(default_factory=list)
    missing_retry_after: list[int] = field(default_factory=list)
    lost_connections: int = 0
    acknowledged_while_disrupted: int = 0
    retry_seen: threading.Event = field(default_factory=threading.Event)
    disrupted: threading.Event = field(default_factory=threading.Event)


def _load_run(port: int, write_key: str, disrupt: Callable[[LoadRun], None]) -> LoadRun:
    """Clients post batches; a third of the way in, ``disrupt(run)`` runs (and ends) the
    outage. Returns once every client has had all its batches acknowledged, or gave up."""
    run = LoadRun()
    lock = threading.Lock()
    started = threading.Event()

    def client(number: int) -> None:
        for batch_number in range(BATCHES_PER_CLIENT):
            if number == 0 and batch_number == BATCHES_PER_CLIENT // 3:
                started.set()
            events = [track(f"user-{number}-{n % 5}") for n in range(EVENTS_PER_BATCH)]
            body = json.dumps({"batch": events}).encode()
            while True:  # like an SDK: retry 429, 5xx and lost connections; give up on 4xx
                try:
                    status, headers = _post(port, body, write_key)
                except OSError:  # the worker died mid-request, or the port is not served
                    with lock:
                        run.lost_connections += 1
                    run.retry_seen.set()
                    time.sleep(0.05)
                    continue
                with lock:
                    run.statuses.append(status)
                    if status in (429, 503) and "Retry-After" not in headers:
                        run.missing_retry_after.append(status)
                if status == 200:
                    with lock:
                        run.acknowledged.update(event["messageId"] for event in events)
                        run.acknowledged_while_disrupted += run.disrupted.is_set()
                    break
                if status not in (429, 503) and status < 500:
                    return
                run.retry_seen.set()
                time.sleep(0.05)  # the test does not wait the whole Retry-After

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    assert started.wait(60)
    run.disrupted.set()
    disrupt(run)
    run.disrupted.clear()
    for thread in threads:
        thread.join(120)
    return run


def _assert_nothing_lost(run: LoadRun, workspace) -> None:
    assert set(run.statuses) <= {200, 429, 503}, f"unexpected statuses: {set(run.statuses)}"
    assert run.missing_retry_after == []
    stored = list(
        UsageEvent.objects.filter(workspace=workspace).values_list("message_id", flat=True)
    )
    assert len(stored) == len(set(stored))
    assert run.acknowledged <= set(stored)
    assert len(run.acknowledged) == CLIENTS * BATCHES_PER_CLIENT * EVENTS_PER_BATCH


def test_every_acknowledged_event_survives_a_database_outage(
    database_proxy, start_server, workspace
):
    server = start_server()

    def outage(run: LoadRun) -> None:
        database_proxy.cut()
        run.retry_seen.wait(20)
        time.sleep(0.5)  # several retries against the outage
        database_proxy.restore()

    run = _load_run(server.port, workspace.issued_keys.write_key, outage)

    assert run.retry_seen.is_set(), "the outage was not observed by any client"
    assert 503 in run.statuses
    _assert_nothing_lost(run, workspace)


def test_ingestion_goes_on_through_a_cache_outage(redis_proxy, start_server, workspace):
    server = start_server(CACHE_URL=redis_proxy.cache_url, LOG_LEVEL="WARNING")

    def outage(run: LoadRun) -> None:
        redis_proxy.cut()
        time.sleep(2)
        redis_proxy.restore()

    run = _load_run(server.port, workspace.issued_keys.write_key, outage)

    assert "shared cache unavailable" in server.log_path.read_text()
    # Redis only saves database reads: without it, batches are still stored and
    # acknowledged (more slowly), and no client is told to retry.
    assert run.acknowledged_while_disrupted > 0
    assert set(run.statuses) == {200}
    _assert_nothing_lost(run, workspace)


def test_every_acknowledged_event_survives_killed_web_workers(start_server, workspace):
    server = start_server()
    original = server.worker_pids()
    assert len(original) == 2

    def kill_both_workers(run: LoadRun) -> None:
        for pid in sorted(original):
            os.kill(pid, signal.SIGKILL)  # mid-request, most likely: both are busy
            time.sleep(0.3)

    run = _load_run(server.port, workspace.issued_keys.write_key, kill_both_workers)

    # The master replaced both; every batch was then acknowledged once retried.
    assert len(server.worker_pids() - original) == 2
    _assert_nothing_lost(run, workspace)
