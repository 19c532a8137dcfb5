"""Fixtures for email tests.

The integration tests run a real Celery worker in another process, which must see the
test database. On SQLite, pytest-django's test database lives in memory, so when these
tests are collected the session's SQLite test database is put in a temporary file instead
(PostgreSQL test databases are reachable as they are).
"""

import shutil
import tempfile
from pathlib import Path

import pytest
from django.conf import settings

_TEMP_DIR: Path | None = None


def pytest_configure(config):
    global _TEMP_DIR
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3") and not database.get("TEST", {}).get("NAME"):
        _TEMP_DIR = Path(tempfile.mkdtemp(prefix="waypoint-email-tests-"))
        database.setdefault("TEST", {})["NAME"] = str(_TEMP_DIR / "test.sqlite3")


def pytest_unconfigure(config):
    if _TEMP_DIR is not None:
        shutil.rmtree(_TEMP_DIR, ignore_errors=True)


@pytest.fixture
def lessons(workspace):
    from tests.factories import LessonPageFactory, ProductFeatureFactory

    feature = ProductFeatureFactory(workspace=workspace, key="invoices", name="Invoices")
    return [
        LessonPageFactory(
            workspace=workspace,
            title=f"Invoices {n}",
            summary=f"Summary {n}",
            duration_minutes=n + 2,
            features=[feature],
        )
        for n in range(3)
    ]


@pytest.fixture
def learning_path_page(workspace, lessons):
    from tests.factories import LearningPathPageFactory

    return LearningPathPageFactory(workspace=workspace, title="Getting paid", lessons=lessons)


@pytest.fixture
def customer(workspace):
    from tests.factories import CustomerFactory

    return CustomerFactory(workspace=workspace, name="Ada Lovelace", timezone="UTC")


@pytest.fixture
def email_settings(workspace):
    from education.emails.models import WorkspaceEmailSettings

    return WorkspaceEmailSettings.objects.create(
        workspace=workspace, send_hour=9, digest_frequency_days=7, frequency_cap_days=1
    )


NOW = "2025-06-02T10:00:00+00:00"  # a Monday, 10:00 UTC


@pytest.fixture
def now():
    import datetime as dt

    return dt.datetime.fromisoformat(NOW)


@pytest.fixture
def plan_digests(django_capture_on_commit_callbacks, now):
    """Plan digests as the hourly tick does; queued chunks run (eagerly) on commit."""
    from education.emails.services import digests_plan

    def run(workspace, **kwargs):
        kwargs.setdefault("now", now)
        with django_capture_on_commit_callbacks(execute=True):
            return digests_plan(workspace=workspace, **kwargs)

    return run


@pytest.fixture
def delivery_of():
    from education.emails.models import EmailDelivery

    def get(customer, campaign="digest"):
        return EmailDelivery.objects.get(customer=customer, campaign=campaign)

    return get


# --- Live worker fixtures (integration tests) ----------------------------------------


@pytest.fixture(scope="module")
def broker():
    from tests.emails.live import redis_flush, redis_url, use_broker

    url = redis_url()
    if url is None:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    redis_flush(url)
    use_broker(url)
    yield url
    use_broker(None)
    redis_flush(url)


@pytest.fixture(scope="module")
def smtp():
    from tests.emails.live import SmtpServer

    with SmtpServer() as server:
        yield server


@pytest.fixture(scope="module")
def shared_worker(broker, smtp, django_db_setup):
    """One worker (two processes) for a module's tests; started without waiting, since
    tasks published meanwhile wait for it in the broker."""
    from tests.emails.live import Worker

    worker = Worker(broker=broker, smtp_port=smtp.port, concurrency=2).start()
    yield worker
    worker.stop()


@pytest.fixture
def worker(shared_worker, smtp):
    from tests.emails.live import wait_for

    smtp.reset()
    yield shared_worker
    # A test may pass while tasks it sent last still run; the database is flushed next.
    wait_for(shared_worker.idle, timeout=30, message="the worker's last tasks")


@pytest.fixture
def worker_factory(broker, smtp, django_db_setup):
    """Workers of one test, stopped at its end."""
    from tests.emails.live import Worker, redis_flush

    workers = []

    def start(concurrency: int = 1) -> Worker:
        worker = Worker(broker=broker, smtp_port=smtp.port, concurrency=concurrency)
        workers.append(worker)
        return worker.start()

    smtp.reset()
    yield start
    for worker in workers:
        worker.stop()
    redis_flush(broker)
