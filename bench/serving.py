"""Serving benchmark: the widget's endpoints against a bare DRF endpoint, in one run.

Creates a throwaway PostgreSQL database, migrates it, seeds one workspace (40 lessons, 4
paths, 2,000 customers with about 30 usage events each), trains the recommender, starts
gunicorn on a free loopback port and loads, at 8 connections for 15 s each:

- ``GET /api/v1/me/path`` and ``GET /api/v1/me/recommendations?limit=5`` with the tokens of
  256 customers in turn (a different customer on every request; each comes back every 256
  requests, as a customer browsing the product reloads the widget on every page);
- beside each, a bare DRF endpoint returning a JSON document of the same size through the
  same middleware (added by bench/serving_urls.py, never by the product's URLs).

Prints requests/s, p50 and p99 latency and the ratio to the bare endpoint, for gunicorn's
sync and gthread workers. Targets (DESIGN.md): >= 60% of the bare throughput, p99 < 50 ms.

    .venv/bin/python -m bench.serving             # full run, about 6 minutes on 2 cores
    .venv/bin/python -m bench.serving --quick     # 300 customers, 4 s per endpoint
    .venv/bin/python -m bench.serving --profile   # also profile both endpoints in process

Needs PostgreSQL at 127.0.0.1:5432 (user postgres, trust auth; ``--postgres`` to change).
Uses wrk when installed (``apt-get install wrk``), else a Python load generator. Loopback
only; the database, gunicorn and temporary files are removed at the end, even on Ctrl-C.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path

from bench.support import free_port

REPO = Path(__file__).resolve().parent.parent

TARGET_RATIO = 0.60
TARGET_P99_MS = 50.0
TOKENS = 256
FEATURES = [
    ("invoices", "Invoices"),
    ("payments", "Online payments"),
    ("recurring-billing", "Recurring billing"),
    ("expenses", "Expenses"),
    ("bank-sync", "Bank sync"),
    ("reports", "Reports"),
    ("exports", "Exports"),
    ("multi-currency", "Multi-currency"),
]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--customers", type=int, default=2000)
    parser.add_argument("--lessons", type=int, default=40)
    parser.add_argument("--events-per-customer", type=int, default=30)
    parser.add_argument("--duration", type=float, default=15.0, help="seconds per endpoint")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4, help="threads per gthread worker")
    parser.add_argument(
        "--worker-classes", default="sync,gthread", help="'' to measure in process only"
    )
    parser.add_argument("--client", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--profile", action="store_true", help="profile both endpoints")
    parser.add_argument("--quick", action="store_true", help="small data, short runs")
    args = parser.parse_args()
    if args.quick:
        args.customers, args.duration = min(args.customers, 300), min(args.duration, 4.0)
    return args


# --- Database and Django ------------------------------------------------------------------


def postgres_admin(url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(f"{url}/postgres", autocommit=True, connect_timeout=5) as conn:
        conn.execute(statement)


def configure_environment(database_url: str, data_dir: Path) -> dict[str, str]:
    """The environment of this process and of gunicorn (settings come only from it)."""
    env = {
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "SECRET_KEY": "bench-" + uuid.uuid4().hex * 2,
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "false",
        "DATA_DIR": str(data_dir),
        "MODEL_DIR": str(data_dir / "models"),
        "LOG_LEVEL": "WARNING",
        "OPENBLAS_NUM_THREADS": "1",
        # One algorithm, not the automatic selection among several: serving is measured
        # here, and training time is bench/recommender.py's subject.
        "RECOMMENDER_ALGORITHM": os.environ.get("RECOMMENDER_ALGORITHM", "als"),
        "CELERY_TASK_ALWAYS_EAGER": "true",
        "PYTHONPATH": str(REPO),
        # As deployed: several processes share one cache (tokens, served documents).
        "CACHE_URL": os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/13"),
    }
    (data_dir / "static").mkdir(parents=True, exist_ok=True)
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.serving_settings"
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    return dict(os.environ)


def django_setup() -> None:
    import django

    django.setup()


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def seed(args: argparse.Namespace) -> dict:
    """One workspace: features, lessons with prerequisites, paths, customers, events."""
    from django.db import transaction
    from django.utils import timezone
    from wagtail.models import Locale

    from cms.models import (
        LearningHubPage,
        LearningPathPage,
        LessonPage,
        LessonPrerequisite,
        PathStep,
        ProductFeature,
    )
    from education.customers.models import Customer
    from education.events.models import UsageEvent
    from education.progress.models import LessonProgress
    from education.workspaces.services import workspace_create

    rng = random.Random(42)
    workspace, keys = workspace_create(name="Bench Ledgerly", slug="bench-ledgerly")
    features = ProductFeature.objects.bulk_create(
        [ProductFeature(workspace=workspace, key=key, name=name) for key, name in FEATURES]
    )
    language = Locale.get_default().language_code
    lessons: list[LessonPage] = []
    for n in range(args.lessons):
        feature = features[n % len(features)]
        lesson = LessonPage(
            title=f"{feature.name}: lesson {n // len(features) + 1}",
            slug=f"lesson-{n}",
            summary=f"A few minutes on {feature.name.lower()}, step {n // len(features) + 1}.",
            duration_minutes=rng.randint(2, 7),
            level=["beginner", "intermediate", "advanced"][min(2, n // (2 * len(features)))],
            body=[
                ("paragraph", f"<p>How {feature.name.lower()} works, in <b>three</b> steps.</p>"),
                ("callout", {"style": "tip", "text": "<p>Use keyboard shortcuts.</p>"}),
                (
                    "quiz",
                    {
                        "question": "Which one is right?",
                        "choices": [
                            {"text": "This one", "correct": True},
                            {"text": "That one", "correct": False},
                        ],
                        "explanation": "Because it is.",
                    },
                ),
                ("try_it", {"label": "Open it", "path": f"/{feature.key}", "description": ""}),
            ],
        )
        if n >= len(features):  # each feature's lessons form a chain
            lesson.prerequisite_links.add(
                LessonPrerequisite(prerequisite=lessons[n - len(features)])
            )
        hub = LearningHubPage.objects.get(workspace=workspace, locale__language_code=language)
        hub.add_child(instance=lesson)
        lesson.features.set([feature])
        lesson.save_revision().publish()
        lessons.append(lesson)
    for p in range(4):
        chosen = [lessons[(p * 3 + 5 * k) % len(lessons)] for k in range(8)]
        path_page = LearningPathPage(title=f"Path {p + 1}", slug=f"path-{p + 1}")
        for lesson in dict.fromkeys(chosen):
            path_page.steps.add(PathStep(lesson=lesson))
        hub = LearningHubPage.objects.get(workspace=workspace, locale__language_code=language)
        hub.add_child(instance=path_page)
        path_page.save_revision().publish()

    now = timezone.now()
    with transaction.atomic():
        customers = Customer.objects.bulk_create(
            [
                Customer(
                    workspace=workspace,
                    external_id=f"bench-{n}",
                    name=f"Customer {n}",
                    locale="en",
                    email_consent=True,
                )
                for n in range(args.customers)
            ],
            batch_size=1000,
        )
    by_feature = {f.key: [lsn for lsn in lessons if lsn.features.first() == f] for f in features}
    events, progress, serial = [], [], 0
    for customer in customers:
        used = rng.sample(features, rng.randint(2, 4))
        for _ in range(args.events_per_customer):
            feature = rng.choice(used)
            kind = "error" if rng.random() < 0.1 else "used"
            serial += 1
            events.append(
                UsageEvent(
                    workspace=workspace,
                    customer=customer,
                    message_id=f"m{serial}",
                    name=f"{feature.name} {kind}",
                    feature_key=feature.key,
                    kind=kind,
                    signal=f"{kind}:{feature.key}",
                    weight=1.0 if kind == "used" else 2.0,
                    timestamp=now - timedelta(days=rng.uniform(0, 60)),
                )
            )
        for feature in used[:2]:
            for lesson in by_feature[feature.key][: rng.randint(0, 3)]:
                serial += 1
                at = now - timedelta(days=rng.uniform(0, 30))
                events.append(
                    UsageEvent(
                        workspace=workspace,
                        customer=customer,
                        message_id=f"m{serial}",
                        name="Lesson Completed",
                        kind="lesson",
                        signal=f"lesson:{lesson.pk}",
                        weight=3.0,
                        timestamp=at,
                        properties={"lesson": lesson.pk},
                    )
                )
                progress.append(
                    LessonProgress(
                        customer=customer,
                        lesson=lesson,
                        status="completed",
                        started_at=at,
                        completed_at=at,
                    )
                )
    UsageEvent.objects.bulk_create(events, batch_size=5000)
    LessonProgress.objects.bulk_create(progress, batch_size=5000)
    return {
        "workspace": workspace,
        "keys": keys,
        "customers": [c.external_id for c in customers],
        "events": len(events),
        "progress": len(progress),
    }


def analyze() -> None:
    """Fresh statistics, as autovacuum would give a while later: without them PostgreSQL
    plans the training query's join for empty tables and runs it for minutes."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def train(workspace) -> str:
    try:
        from recommender import services
    except ImportError as exc:
        return f"no recommender services ({exc})"
    if not hasattr(services, "model_train"):
        return "recommender.services.model_train does not exist: serving without a model"
    started = time.perf_counter()
    try:
        model = services.model_train(workspace=workspace, force=True, created_by="bench")
    except Exception as exc:  # a benchmark reports, it does not stop here
        return f"training failed: {exc!r}"
    status = getattr(model, "status", "?")
    seconds = time.perf_counter() - started
    return f"trained {getattr(model, 'version', model)} ({status}) in {seconds:.1f} s"


def mint_tokens(signing_secret: str, customers: list[str], count: int) -> list[str]:
    from education.widget.tokens import customer_token_mint

    chosen = random.Random(7).sample(customers, min(count, len(customers)))
    return [
        customer_token_mint(signing_secret=signing_secret, external_id=external_id)
        for external_id in chosen
    ]


ENDPOINTS = {
    "path": "/api/v1/me/path",
    "recommendations": "/api/v1/me/recommendations?limit=5",
}


def capture_payloads(publishable_key: str, token: str, data_dir: Path) -> dict[str, Path]:
    """Each widget endpoint's JSON for one customer: the bare endpoints return the same."""
    from django.test import Client

    client = Client()
    files = {}
    for name, url in ENDPOINTS.items():
        response = client.get(
            url, HTTP_X_WAYPOINT_KEY=publishable_key, HTTP_AUTHORIZATION=f"Bearer {token}"
        )
        if response.status_code != 200:
            raise SystemExit(
                f"{url} answered {response.status_code}: {response.content[:300]!r}; "
                "is the API in place?"
            )
        files[name] = data_dir / f"bare-{name}.json"
        files[name].write_bytes(response.content)
        print(f"  {url}: {len(response.content):,} bytes of JSON")
    return files


def service_times(publishable_key: str, tokens: list[str]) -> dict[str, float]:
    """Median ms per request in process, one at a time: the CPU and database cost alone,
    without gunicorn or concurrency (much less sensitive to a busy machine than req/s).

    For each customer: the first request builds their document (``name:first``); a
    request that asks for a fresh answer (``Cache-Control: no-cache``, as the widget does
    after its own writes) checks it against the shared cache (``name:shared``); a repeat
    is answered from the process's own copy (``name``)."""
    from django.test import Client

    client = Client()
    headers = {"HTTP_X_WAYPOINT_KEY": publishable_key}
    medians: dict[str, list[float]] = {}

    def timed(label: str, target: str, token: str, **extra) -> None:
        started = time.perf_counter()
        response = client.get(target, HTTP_AUTHORIZATION=f"Bearer {token}", **headers, **extra)
        medians.setdefault(label, []).append(time.perf_counter() - started)
        assert response.status_code == 200, (target, response.status_code)

    for name, url in ENDPOINTS.items():
        for token in tokens:
            timed(f"bare:{name}", f"/bench/bare/{name}", token)
            timed(f"{name}:first", url, token)
            timed(f"{name}:shared", url, token, HTTP_CACHE_CONTROL="no-cache")
            timed(name, url, token)
    return {
        label: statistics.median(timings[len(timings) // 10 :]) * 1000
        for label, timings in medians.items()
    }


def profile_endpoints(publishable_key: str, tokens: list[str], rounds: int = 200) -> None:
    """Where a request's time goes, in process: queries per request and top functions."""
    import cProfile
    import io
    import pstats
    from collections import Counter

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    for url in ENDPOINTS.values():
        headers = {"HTTP_X_WAYPOINT_KEY": publishable_key}
        for token in tokens[:20]:  # warm caches and the model
            client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}", **headers)
        with CaptureQueriesContext(connection) as queries:
            client.get(url, HTTP_AUTHORIZATION=f"Bearer {tokens[21]}", **headers)
            # (copied inside: the next request's request_started signal resets the log)
            captured = list(queries.captured_queries)
        shapes = Counter(" ".join(q["sql"].split())[:140] for q in captured)
        profiler = cProfile.Profile()
        started = time.perf_counter()
        profiler.enable()
        for n in range(rounds):
            client.get(url, HTTP_AUTHORIZATION=f"Bearer {tokens[n % len(tokens)]}", **headers)
        profiler.disable()
        per_request = (time.perf_counter() - started) / rounds * 1000
        print(f"\n--- profile {url}: {per_request:.2f} ms/request in process (profiled)")
        print(f"{len(captured)} queries per request:")
        for sql, count in shapes.most_common(12):
            print(f"  {count:3d} x {sql}")
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(
            r"(education|recommender|cms|rest_framework|django/db|wagtail)", 25
        )
        print("\n".join(line for line in out.getvalue().splitlines() if line.strip())[-6000:])


# --- Gunicorn and load --------------------------------------------------------------------


@contextlib.contextmanager
def gunicorn(env: dict, *, worker_class: str, workers: int, threads: int, bare: dict):
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "education.wsgi",
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        f"--worker-class={worker_class}",
        "--backlog=256",
        "--log-level=warning",
        "--timeout=30",
    ]
    if worker_class == "gthread":
        command.append(f"--threads={threads}")
    process_env = dict(env, DJANGO_SETTINGS_MODULE="bench.serving_settings")
    for name, location in bare.items():
        process_env[f"BENCH_BARE_{name.upper()}"] = str(location)
    import urllib.request

    process = subprocess.Popen(command, cwd=REPO, env=process_env, start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("gunicorn did not start") from None
                time.sleep(0.2)
        yield port
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


WRK_SCRIPT = """
local tokens = %(tokens)s
local key = %(key)s
local counter = 0
local n = 0
function setup(thread) thread:set("offset", n * 61); n = n + 1 end
function init(args) counter = offset or 0 end
function request()
  counter = counter + 1
  return wrk.format("GET", nil, {
    ["X-Waypoint-Key"] = key,
    ["Authorization"] = "Bearer " .. tokens[(counter %% #tokens) + 1],
  })
end
function done(summary, latency, requests)
  io.write(string.format(
    "WRK_JSON {\\"requests\\": %%d, \\"duration_us\\": %%d, \\"p50_us\\": %%d, \\"p99_us\\": %%d, "
    .. "\\"status_errors\\": %%d, \\"socket_errors\\": %%d}\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    summary.errors.status, summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout))
end
"""


def load_with_wrk(url: str, key: str, tokens: list[str], args, workdir: Path) -> dict:
    script = workdir / "bench.lua"
    lua_tokens = "{" + ",".join(json.dumps(t) for t in tokens) + "}"
    script.write_text(WRK_SCRIPT % {"tokens": lua_tokens, "key": json.dumps(key)})
    threads = max(1, min(2, args.connections))
    output = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{args.connections}",
            f"-d{max(1, round(args.duration))}s",
            "--timeout=5s",
            "-s",
            str(script),
            url,
        ],
        capture_output=True,
        text=True,
        timeout=args.duration + 60,
        check=True,
    ).stdout
    line = next(row for row in output.splitlines() if row.startswith("WRK_JSON "))
    raw = json.loads(line.removeprefix("WRK_JSON "))
    seconds = raw["duration_us"] / 1e6
    return {
        "rps": raw["requests"] / seconds,
        "p50_ms": raw["p50_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "errors": raw["status_errors"],
        "socket_errors": raw["socket_errors"],
        "requests": raw["requests"],
    }


def load_with_python(url: str, key: str, tokens: list[str], args, workdir: Path) -> dict:
    """Keep-alive connections in threads (slower than wrk: it shares the 2 cores)."""
    from http.client import HTTPConnection
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    stop = time.monotonic() + args.duration
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def worker(offset: int) -> None:
        connection = HTTPConnection(parts.hostname, parts.port, timeout=5)
        mine, bad, n = [], 0, offset
        while time.monotonic() < stop:
            n += 1
            headers = {"X-Waypoint-Key": key, "Authorization": f"Bearer {tokens[n % len(tokens)]}"}
            started = time.perf_counter()
            try:
                connection.request("GET", target, headers=headers)
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    bad += 1
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
            except OSError:
                bad += 1
                connection.close()
                connection = HTTPConnection(parts.hostname, parts.port, timeout=5)
                continue
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    began = time.monotonic()
    pool = [threading.Thread(target=worker, args=(i * 61,)) for i in range(args.connections)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    elapsed = time.monotonic() - began
    latencies.sort()
    quantiles = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return {
        "rps": len(latencies) / elapsed,
        "p50_ms": quantiles[49] * 1000,
        "p99_ms": quantiles[98] * 1000,
        "errors": errors[0],
        "socket_errors": 0,
        "requests": len(latencies),
    }


def main() -> int:
    if not __package__:
        # As a script, bench/ would come first on sys.path (bench/email.py would shadow
        # the standard library's email package).
        sys.exit("Run it as a module: .venv/bin/python -m bench.serving")
    args = parse_args()
    sys.stdout.reconfigure(line_buffering=True)
    client = args.client
    if client == "auto":
        client = "wrk" if shutil.which("wrk") else "python"
    load = load_with_wrk if client == "wrk" else load_with_python
    database = f"waypoint_bench_{os.getpid()}"
    workdir = Path(tempfile.mkdtemp(prefix="waypoint-bench-"))
    env = configure_environment(f"{args.postgres}/{database}", workdir)
    started = time.perf_counter()
    print(f"Serving benchmark: {os.cpu_count()} CPUs, load from {client}, database {database}")
    postgres_admin(args.postgres, f'CREATE DATABASE "{database}"')
    results: list[tuple[str, str, dict]] = []
    try:
        django_setup()
        from django.core.cache import cache

        cache.clear()  # nothing from an earlier run (ids repeat in a new database)
        migrate()
        print(f"migrated in {time.perf_counter() - started:.0f} s; seeding...")
        world = seed(args)
        print(
            f"  {args.lessons} lessons, 4 paths, {len(world['customers'])} customers, "
            f"{world['events']:,} events, {world['progress']:,} completed lessons"
        )
        analyze()
        print(f"  seeded and analysed at {time.perf_counter() - started:.0f} s")
        print(" ", train(world["workspace"]))
        key = world["keys"].publishable_key
        tokens = mint_tokens(world["keys"].signing_secret, world["customers"], TOKENS)
        bare = capture_payloads(key, tokens[0], workdir)
        # Reload the URLs so that the bare endpoints serve the captured documents here too.
        from django.urls import clear_url_caches

        for name, location in bare.items():
            os.environ[f"BENCH_BARE_{name.upper()}"] = str(location)
        sys.modules.pop("bench.serving_urls", None)
        clear_url_caches()
        in_process = service_times(key, tokens)
        for name in ENDPOINTS:
            ratio = in_process[f"bare:{name}"] / in_process[name]
            print(
                f"  in process, one at a time: {name} first request "
                f"{in_process[f'{name}:first']:.2f} ms, from the shared cache "
                f"{in_process[f'{name}:shared']:.2f} ms, from the process's copy "
                f"{in_process[name]:.2f} ms; bare {in_process[f'bare:{name}']:.2f} ms "
                f"({ratio:.2f} of bare's rate)"
            )
        if args.profile:
            profile_endpoints(key, tokens)
        from django.db import connections

        connections.close_all()
        for worker_class in [w.strip() for w in args.worker_classes.split(",") if w.strip()]:
            with gunicorn(
                env,
                worker_class=worker_class,
                workers=args.workers,
                threads=args.threads,
                bare=bare,
            ) as port:
                base = f"http://127.0.0.1:{port}"
                for name, url in ENDPOINTS.items():
                    for label, target in ((f"bare:{name}", f"/bench/bare/{name}"), (name, url)):
                        # warm up: every worker loads the model and fills its caches
                        warm = argparse.Namespace(**{**vars(args), "duration": 2.0})
                        load(base + target, key, tokens, warm, workdir)
                        results.append(
                            (worker_class, label, load(base + target, key, tokens, args, workdir))
                        )
                        row = results[-1][2]
                        print(
                            f"  {worker_class:8s} {label:24s} {row['rps']:8.0f} req/s  "
                            f"p50 {row['p50_ms']:6.1f} ms  p99 {row['p99_ms']:6.1f} ms  "
                            f"errors {row['errors']}"
                        )
    finally:
        with contextlib.suppress(Exception):
            from django.db import connections

            connections.close_all()
        postgres_admin(args.postgres, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        shutil.rmtree(workdir, ignore_errors=True)
        print(f"dropped {database}; removed {workdir}")
    report(results, args, client, time.perf_counter() - started)
    return 0


def report(results, args, client: str, seconds: float) -> None:
    print(
        f"\n{args.connections} connections, {args.duration:.0f} s each, {args.workers} workers, "
        f"{os.cpu_count()} CPUs, load from {client}; total {seconds:.0f} s\n"
    )
    header = f"{'workers':8s} {'endpoint':34s} {'req/s':>8s} {'p50 ms':>7s} {'p99 ms':>7s}"
    print(header + f" {'vs bare':>8s}  verdict")
    table = {(worker_class, label): row for worker_class, label, row in results}
    for worker_class, label, row in results:
        url = ENDPOINTS.get(label, f"/bench/bare/{label.removeprefix('bare:')}")
        line = (
            f"{worker_class:8s} {url:34s} {row['rps']:8.0f} "
            f"{row['p50_ms']:7.1f} {row['p99_ms']:7.1f}"
        )
        if label.startswith("bare:"):
            print(line + f" {'1.00':>8s}  baseline")
            continue
        bare_row = table.get((worker_class, f"bare:{label}"))
        ratio = row["rps"] / bare_row["rps"] if bare_row and bare_row["rps"] else 0.0
        verdict = "ok" if ratio >= TARGET_RATIO and row["p99_ms"] < TARGET_P99_MS else "MISSES"
        if row["errors"]:
            verdict += f" ({row['errors']} non-200)"
        print(line + f" {ratio:8.2f}  {verdict}")
    print(
        f"\nTargets: >= {TARGET_RATIO:.0%} of the bare endpoint's throughput, "
        f"p99 < {TARGET_P99_MS:.0f} ms at {args.connections} connections."
    )


if __name__ == "__main__":
    sys.exit(main())
