"""Benchmark digest emails: recommendations, templates, CSS inlining, delivery rows.

10,000 customers with usage events and an active model in a throwaway PostgreSQL database.
Two worker processes take chunks of delivery ids and run ``email_deliveries_send`` (what
the Celery task runs: fresh rows, recommendations, render, claim, send, record) with a
backend that serialises each message to bytes and counts it (no network). Baseline in the
same run: the same number of fixed, pre-rendered messages of the same size through the
same backend by the same two processes. Prints digests/s and the ratio (target >= 200/s).

Run: ``.venv/bin/python -m bench.email [--customers 10000] [--workers 2]``
(as a module: a script named email.py run directly would shadow the standard library).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import platform
import random
import shutil
import tempfile
import time
from datetime import UTC, datetime, timedelta

from bench.support import DEFAULT_POSTGRES, django_on, throwaway_database

FEATURES = ["invoices", "payments", "exports", "reports", "taxes", "users"]


class CountingBackend:
    """An email backend that does what a real one must (serialise the MIME message) and
    counts, without a network. Referenced by path, so both benchmark runs use it."""

    def __init__(self, fail_silently: bool = False, **kwargs) -> None:
        self.sent_bytes = 0

    def open(self) -> bool:
        return True

    def close(self) -> None:
        pass

    def send_messages(self, messages) -> int:
        for message in messages:
            self.sent_bytes += len(message.message().as_bytes())
        return len(messages)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--lessons", type=int, default=30)
    parser.add_argument("--chunk", type=int, default=100, help="recipients per task")
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES)
    return parser.parse_args()


def seed(args: argparse.Namespace, now: datetime):
    """A workspace with lessons, a path, customers with events, and an active model."""
    from django.db import connection, transaction

    from cms.models import ProductFeature
    from education.customers.models import Customer
    from education.emails.models import WorkspaceEmailSettings
    from education.events.models import UsageEvent
    from education.progress.models import LessonProgress
    from education.workspaces.services import workspace_create
    from recommender.services import model_train
    from tests.factories import LearningPathPageFactory, LessonPageFactory

    rng = random.Random(7)
    workspace, _keys = workspace_create(name="Bench", brand_color="#0a7d5a")
    WorkspaceEmailSettings.objects.create(workspace=workspace, digest_lesson_count=3)
    features = [
        ProductFeature.objects.create(workspace=workspace, key=key, name=key.title())
        for key in FEATURES
    ]
    lessons = [
        LessonPageFactory(
            workspace=workspace,
            title=f"{features[n % len(features)].name}: step {n // len(features) + 1}",
            summary="A short lesson that shows one thing well, in a few minutes.",
            duration_minutes=2 + n % 6,
            features=[features[n % len(features)]],
            body=[("paragraph", "<p>Learn this.</p>")],
        )
        for n in range(args.lessons)
    ]
    LearningPathPageFactory(workspace=workspace, title="Getting paid", lessons=lessons[:6])

    with transaction.atomic():
        customers = Customer.objects.bulk_create(
            Customer(
                workspace=workspace,
                external_id=f"user-{n}",
                email=f"user-{n}@example.com",
                name=f"Customer {n}",
                locale="fr" if n % 10 == 0 else "en",
                timezone=rng.choice(["UTC", "Europe/Paris", "America/New_York", "Asia/Tokyo"]),
                email_consent=True,
            )
            for n in range(args.customers)
        )
        events, progress = [], []
        for customer in customers:
            for _ in range(rng.randint(3, 8)):
                feature = rng.choice(FEATURES)
                kind = rng.choices(["used", "error", "ticket"], [8, 2, 0.3])[0]
                events.append((customer, kind, feature, f"{kind}:{feature}"))
            for lesson in rng.sample(lessons, rng.randint(0, 3)):
                events.append((customer, "lesson", "", f"lesson:{lesson.pk}"))
                progress.append(
                    LessonProgress(customer=customer, lesson=lesson, status="completed")
                )
        rows = []
        for serial, (customer, kind, feature, signal) in enumerate(events):
            at = now - timedelta(minutes=rng.randint(1, 60 * 24 * 60))
            rows.append(
                UsageEvent(
                    workspace=workspace,
                    customer=customer,
                    message_id=f"m-{serial}",
                    name=signal,
                    feature_key=feature,
                    kind=kind,
                    signal=signal,
                    timestamp=at,
                    received_at=at,
                )
            )
        UsageEvent.objects.bulk_create(rows, batch_size=5000)
        LessonProgress.objects.bulk_create(progress, batch_size=5000, ignore_conflicts=True)
    with connection.cursor() as cursor:
        # Fresh statistics, as autovacuum would have them: query plans after a bulk load.
        cursor.execute("ANALYZE")
    model = model_train(workspace=workspace, force=True, now=now)
    return workspace, len(rows), model.version


def _digest_worker(tasks: mp.Queue, results: mp.Queue) -> None:
    from django.db import connections

    from education.emails.services import email_deliveries_send

    sent = 0
    while (chunk := tasks.get()) is not None:
        sent += len(email_deliveries_send(delivery_ids=chunk).sent)
    connections.close_all()
    results.put(sent)


def _fixed_worker(count: int, subject: str, text: str, html: str, results: mp.Queue) -> None:
    from django.core.mail import EmailMultiAlternatives, get_connection

    connection = get_connection()
    for n in range(count):
        message = EmailMultiAlternatives(
            subject,
            text,
            "Bench <learn@waypoint.localhost>",
            [f"user-{n}@example.com"],
            headers={"List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
            connection=connection,
        )
        message.attach_alternative(html, "text/html")
        connection.send_messages([message])
    results.put(count)


def _run(target, per_worker_args: list[tuple], tasks: list | None = None) -> tuple[float, int]:
    """Start the workers, feed them, wait; wall seconds from the first start."""
    context = mp.get_context("fork")
    results = context.Queue()
    queue = context.Queue() if tasks is not None else None
    started = time.perf_counter()
    processes = [
        context.Process(target=target, args=(*args, results) if queue is None else (queue, results))
        for args in per_worker_args
    ]
    for process in processes:
        process.start()
    if queue is not None:
        for chunk in tasks:
            queue.put(chunk)
        for _ in processes:
            queue.put(None)
    done = sum(results.get(timeout=600) for _ in processes)
    for process in processes:
        process.join(timeout=60)
    return time.perf_counter() - started, done


def _sample_digest(delivery_id: int):
    """A real digest, to give the fixed messages the same size."""
    from education.emails.models import EmailDelivery
    from education.emails.rendering import digest_render
    from recommender.serving import learning_path, recommend_lessons

    delivery = EmailDelivery.objects.select_related("customer", "workspace").get(pk=delivery_id)
    return digest_render(
        delivery=delivery,
        customer=delivery.customer,
        recommendations=recommend_lessons(customer=delivery.customer, n=3),
        path=learning_path(customer=delivery.customer),
    )


def main() -> None:
    args = parse_args()
    data_dir = tempfile.mkdtemp(prefix="waypoint-bench-email-")
    try:
        _bench(args, data_dir)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def _bench(args: argparse.Namespace, data_dir: str) -> None:
    os.environ["DATA_DIR"] = data_dir
    os.environ["EMAIL_BACKEND"] = "bench.email.CountingBackend"
    os.environ["EMAIL_CHUNK_SIZE"] = str(args.chunk)
    os.environ["OPENBLAS_NUM_THREADS"] = "1"
    with throwaway_database("waypoint_bench_email", args.postgres) as url:
        django_on(url)
        from django.db import connections

        from education.emails.models import EmailDelivery
        from education.emails.services import digests_plan

        now = datetime.now(UTC)
        t0 = time.perf_counter()
        workspace, n_events, version = seed(args, now)
        seeded = time.perf_counter() - t0
        plan = digests_plan(workspace=workspace, ignore_send_hour=True, enqueue=False)
        ids = plan.queued_ids
        chunks = [ids[i : i + args.chunk] for i in range(0, len(ids), args.chunk)]

        rendered = _sample_digest(ids[0])
        connections.close_all()

        per_worker = len(ids) // args.workers
        fixed_seconds, fixed_count = _run(
            _fixed_worker,
            [
                (per_worker + (1 if n < len(ids) % args.workers else 0), rendered.subject,
                 rendered.text, rendered.html)
                for n in range(args.workers)
            ],
        )  # fmt: skip
        digest_seconds, digest_count = _run(_digest_worker, [()] * args.workers, tasks=chunks)
        sent_rows = EmailDelivery.objects.filter(status="sent").count()

        digests_per_second = digest_count / digest_seconds
        fixed_per_second = fixed_count / fixed_seconds
        print(f"email digests — {datetime.now(UTC):%Y-%m-%d}, {platform.node()}, "
              f"{os.cpu_count()} cores, PostgreSQL, {args.workers} worker processes")  # fmt: skip
        print(
            f"  seed: {args.customers} customers, {args.lessons} lessons, {n_events} events, "
            f"model {version} ({seeded:.1f} s)"
        )
        print(f"  digest size: {len(rendered.html)} B HTML, {len(rendered.text)} B text")
        print(
            f"  digests (recommend + path + render + inline + claim + send + record): "
            f"{digest_count} in {digest_seconds:.2f} s = {digests_per_second:,.0f}/s "
            f"(rows sent: {sent_rows})"
        )
        print(
            f"  baseline, fixed messages through the same backend: {fixed_count} in "
            f"{fixed_seconds:.2f} s = {fixed_per_second:,.0f}/s"
        )
        print(
            f"  ratio digests/fixed: {digests_per_second / fixed_per_second:.3f} "
            f"(overhead {fixed_per_second / digests_per_second:.1f}x); target >= 200 digests/s: "
            f"{'met' if digests_per_second >= 200 else 'NOT met'}"
        )
        connections.close_all()


if __name__ == "__main__":
    main()
