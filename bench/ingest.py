"""Ingestion benchmark: events/s through HTTP against a raw COPY of the same rows.

Creates a throwaway PostgreSQL database, migrates it, creates a workspace, starts gunicorn
on a free loopback port, and posts 100-event batches from concurrent clients (processes x
threads, keep-alive http.client). Prints events/s, p50/p99 latency, and the ratio to a
raw psycopg COPY of as many rows into the same table, measured in the same run; then a
smaller run through the stock segment-analytics-python client. Cleans up after itself.

    .venv/bin/python -m bench.ingest                  # defaults: about two minutes
    .venv/bin/python -m bench.ingest --seconds 20 --worker-classes gthread

(Run it as a module: as a script, bench/ would come first on sys.path.)

Targets (docs/performance.md): >= 10,000 events/s, p99 < 250 ms, >= 15% of raw COPY.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import http.client
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import psycopg

from bench.support import free_port

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable

USERS = 2000
EVENT_NAMES = ["Invoice Sent", "Report Exported", "Dashboard Opened", "Error Encountered"]


def server_env(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "SECURE_SSL_REDIRECT": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
        "CACHE_URL": os.environ.get("BENCH_CACHE_URL", "locmemcache://bench"),
        "CELERY_TASK_ALWAYS_EAGER": "true",
        "CONN_MAX_AGE": "600",
    }


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


CREATE_WORKSPACE = """
from education.workspaces.services import workspace_create
workspace, keys = workspace_create(name="Bench")
workspace.ingest_rate_limit = 10**9  # measure ingestion, not the limiter
workspace.save()
print(workspace.pk, keys.write_key)
"""


# --- Load generator ---------------------------------------------------------------------


def batch_template(batch_size: int, seed: int) -> bytes:
    """A batch body whose message ids contain @@BATCH@@, replaced per request."""
    now = datetime.now(UTC).isoformat()
    events = []
    for n in range(batch_size):
        events.append(
            {
                "type": "track",
                "userId": f"user-{(seed * 7919 + n * 31) % USERS}",
                "event": EVENT_NAMES[n % len(EVENT_NAMES)],
                "messageId": f"@@BATCH@@-{n}",
                "timestamp": now,
                "properties": {"plan": "pro", "feature": "exports", "count": n, "ok": True},
                "context": {"library": {"name": "bench", "version": "1.0"}},
            }
        )
    return json.dumps({"batch": events, "sentAt": now}).encode()


def load_worker(args: tuple) -> tuple[int, list[float], dict[int, int]]:
    port, write_key, threads, batch_size, warmup, seconds, worker_number = args
    headers = {
        "Content-Type": "application/json",
        "Authorization": "Basic " + base64.b64encode(f"{write_key}:".encode()).decode(),
    }
    start = time.monotonic()
    measure_from, stop_at = start + warmup, start + warmup + seconds
    lock = threading.Lock()
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    accepted = [0]

    def run(thread_number: int) -> None:
        templates = [batch_template(batch_size, seed) for seed in range(thread_number, 400, 7)]
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        sent = 0
        tag = f"{worker_number}-{thread_number}-{uuid.uuid4().hex[:8]}"
        while (now := time.monotonic()) < stop_at:
            body = templates[sent % len(templates)].replace(b"@@BATCH@@", f"{tag}-{sent}".encode())
            sent += 1
            began = time.perf_counter()
            try:
                connection.request("POST", "/v1/batch", body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                connection.close()
                status = 0
            elapsed = time.perf_counter() - began
            if now >= measure_from:
                with lock:
                    latencies.append(elapsed)
                    statuses[status] = statuses.get(status, 0) + 1
                    if status == 200:
                        accepted[0] += batch_size

    pool = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return accepted[0], latencies, statuses


def http_run(
    *, port: int, write_key: str, processes: int, threads: int, batch_size: int, seconds: float
) -> dict:
    warmup = 2.0
    work = [(port, write_key, threads, batch_size, warmup, seconds, n) for n in range(processes)]
    with multiprocessing.get_context("spawn").Pool(processes) as pool:
        # Bounded: a load process that dies would otherwise leave map() waiting forever.
        results = pool.map_async(load_worker, work).get(timeout=warmup + seconds + 120)
    accepted = sum(result[0] for result in results)
    latencies = sorted(latency for result in results for latency in result[1])
    statuses: dict[int, int] = {}
    for result in results:
        for status, count in result[2].items():
            statuses[status] = statuses.get(status, 0) + count
    return {
        "events_per_second": accepted / seconds,
        "p50_ms": statistics.median(latencies) * 1000 if latencies else float("nan"),
        "p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1000 if latencies else float("nan"),
        "requests": len(latencies),
        "statuses": statuses,
    }


# --- Baseline and SDK ----------------------------------------------------------------------


def copy_baseline(database_url: str, workspace_id: int, rows: int) -> float:
    """Rows/s of a raw COPY of comparable rows into the same table (unique message ids)."""
    with psycopg.connect(database_url) as connection:
        customer_ids = [
            row[0]
            for row in connection.execute(
                "SELECT id FROM customers_customer WHERE workspace_id = %s", [workspace_id]
            )
        ]
        now = datetime.now(UTC)
        properties = json.dumps({"plan": "pro", "feature": "exports", "count": 1, "ok": True})
        context = json.dumps({"library": {"name": "bench", "version": "1.0"}})
        data = [
            (
                workspace_id,
                customer_ids[n % len(customer_ids)],
                f"copy-{n}",
                EVENT_NAMES[n % len(EVENT_NAMES)],
                "",
                "used",
                f"event:{EVENT_NAMES[n % len(EVENT_NAMES)]}",
                1.0,
                now,
                now,
                now,
                properties,
                context,
            )
            for n in range(rows)
        ]
        began = time.perf_counter()
        with (
            connection.cursor() as cursor,
            cursor.copy(
                "COPY events_usageevent (workspace_id, customer_id, message_id, name, "
                "feature_key, kind, signal, weight, timestamp, original_timestamp, "
                "received_at, properties, context) FROM STDIN"
            ) as copy,
        ):
            for row in data:
                copy.write_row(row)
        connection.commit()
        return rows / (time.perf_counter() - began)


def sdk_run(port: int, write_key: str, events: int) -> dict:
    from segment.analytics.client import Client

    errors: list = []
    client = Client(
        write_key,
        host=f"http://127.0.0.1:{port}",
        upload_size=100,
        max_queue_size=events + 1000,
        on_error=lambda error, batch: errors.append(error),
        upload_interval=0.01,
        thread=2,
    )
    began = time.perf_counter()
    for n in range(events):
        client.track(f"sdk-user-{n % USERS}", EVENT_NAMES[n % 4], {"count": n})
    client.flush()
    client.join()
    elapsed = time.perf_counter() - began
    return {"events": events, "events_per_second": events / elapsed, "errors": len(errors)}


@contextlib.contextmanager
def gunicorn(env: dict[str, str], worker_class: str, workers: int, threads: int):
    port = free_port()
    command = [PYTHON, "-m", "gunicorn", "education.wsgi", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(workers), "--worker-class", worker_class]
    if worker_class == "gthread":
        command += ["--threads", str(threads)]
    server = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                probe = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                probe.request("GET", "/healthz")
                if probe.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not start")
        yield port
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--admin-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--seconds", type=float, default=12)
    parser.add_argument("--processes", type=int, default=2, help="load generator processes")
    parser.add_argument("--threads", type=int, default=8, help="connections per process")
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--worker-classes", default="sync,gthread")
    parser.add_argument("--gthread-threads", type=int, default=4)
    parser.add_argument("--sdk-events", type=int, default=20000)
    options = parser.parse_args()

    name = f"waypoint_bench_{os.getpid()}"
    base = options.admin_url.rsplit("/", 1)[0]
    database_url = f"{base}/{name}"
    with psycopg.connect(options.admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        env = server_env(database_url)
        began = time.perf_counter()
        manage(env, "migrate", "--noinput")
        print(f"database {name} migrated in {time.perf_counter() - began:.0f} s")
        workspace_id, write_key = manage(env, "shell", "-c", CREATE_WORKSPACE).split()[-2:]
        workspace_id = int(workspace_id)

        print(
            f"load: {options.processes} processes x {options.threads} connections, "
            f"{options.batch_size}-event batches, {options.seconds:.0f} s measured each"
        )
        best = None
        for worker_class in options.worker_classes.split(","):
            with gunicorn(env, worker_class, options.workers, options.gthread_threads) as port:
                result = http_run(
                    port=port,
                    write_key=write_key,
                    processes=options.processes,
                    threads=options.threads,
                    batch_size=options.batch_size,
                    seconds=options.seconds,
                )
            label = f"gunicorn {options.workers} {worker_class} workers"
            if worker_class == "gthread":
                label += f" x {options.gthread_threads} threads"
            print(
                f"HTTP  {label:<36} {result['events_per_second']:>9,.0f} events/s  "
                f"p50 {result['p50_ms']:6.1f} ms  p99 {result['p99_ms']:6.1f} ms  "
                f"statuses {result['statuses']}"
            )
            if best is None or result["events_per_second"] > best[1]["events_per_second"]:
                best = (label, result)

        with psycopg.connect(database_url) as connection:
            stored = connection.execute("SELECT count(*) FROM events_usageevent").fetchone()[0]
        rows = max(50_000, min(int(best[1]["events_per_second"] * options.seconds), 300_000))
        copy_rate = copy_baseline(database_url, workspace_id, rows)
        print(f"COPY  raw psycopg COPY of {rows:,} rows      {copy_rate:>9,.0f} rows/s")
        print(
            f"ratio best HTTP ({best[0]}) / raw COPY: "
            f"{best[1]['events_per_second'] / copy_rate:.1%}   (events stored: {stored:,})"
        )

        if options.sdk_events:
            with gunicorn(env, "gthread", options.workers, options.gthread_threads) as port:
                sdk = sdk_run(port, write_key, options.sdk_events)
            with psycopg.connect(database_url) as connection:
                landed = connection.execute(
                    "SELECT count(*) FROM events_usageevent WHERE message_id NOT LIKE 'copy-%%' "
                    "AND customer_id IN (SELECT id FROM customers_customer "
                    "WHERE external_id LIKE 'sdk-user-%%')"
                ).fetchone()[0]
            print(
                f"SDK   segment-analytics-python, {sdk['events']:,} events: "
                f"{sdk['events_per_second']:,.0f} events/s, {sdk['errors']} errors, "
                f"{landed:,} stored"
            )
    finally:
        with psycopg.connect(options.admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        print(f"database {name} dropped")


if __name__ == "__main__":
    main()
