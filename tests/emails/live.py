"""A local SMTP server and real Celery workers for the email integration tests."""

import asyncio
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import quote

from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection
from kombu import pools as kombu_pools

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Handler:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.recipients: Counter = Counter()
        self.delay = 0.0
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        message = message_from_bytes(envelope.content, policy=policy.default)
        # Counted on arrival, before answering: a client killed while it waits for the
        # answer has still handed the message over.
        with self._lock:
            self.messages.append(message)
            self.recipients.update(address.lower() for address in envelope.rcpt_tos)
        if self.delay:
            await asyncio.sleep(self.delay)
        return "250 Message accepted for delivery"


class SmtpServer:
    """aiosmtpd in a thread on a free loopback port; collects what it receives."""

    def __init__(self) -> None:
        self.handler = _Handler()
        self.port = free_port()
        self._controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> "SmtpServer":
        self._controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self._controller.stop()

    @property
    def messages(self) -> list[EmailMessage]:
        return list(self.handler.messages)

    @property
    def recipients(self) -> Counter:
        return Counter(self.handler.recipients)

    def reset(self, delay: float = 0.0) -> None:
        self.handler.messages.clear()
        self.handler.recipients.clear()
        self.handler.delay = delay


def redis_url() -> str | None:
    """A Redis DB of its own for this run (WAYPOINT_TEST_REDIS_DB, else a random one)."""
    import redis

    number = int(os.environ.get("WAYPOINT_TEST_REDIS_DB") or random.randint(2, 15))
    url = f"redis://127.0.0.1:6379/{number}"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        return None
    return url


def redis_flush(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def database_url() -> str:
    """The test database as the worker process must reach it."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    user = quote(db.get("USER") or "", safe="")
    password = quote(db.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else f"{user}@" if user else ""
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    return f"postgres://{credentials}{host}:{port}/{db['NAME']}"


class Worker:
    """``celery -A education worker`` as a subprocess in its own process group."""

    def __init__(self, *, broker: str, smtp_port: int, concurrency: int = 2) -> None:
        self.name = f"emails-test-{uuid.uuid4().hex[:8]}@127.0.0.1"
        self.log = Path(tempfile.mkstemp(prefix="waypoint-worker-", suffix=".log")[1])
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "education.settings",
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": broker,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "SECRET_KEY": settings.SECRET_KEY,
            "WAYPOINT_BASE_URL": settings.WAYPOINT_BASE_URL,
            "EMAIL_CHUNK_SIZE": str(settings.EMAIL_CHUNK_SIZE),
            "LOG_LEVEL": "INFO",
        }
        self.concurrency = concurrency
        self.process: subprocess.Popen | None = None

    def start(self, *, wait: bool = False, timeout: float = 60) -> "Worker":
        """Start the worker; tasks published meanwhile wait for it in the broker."""
        command = [
            sys.executable, "-m", "celery", "-A", "education", "worker",
            "--pool=prefork", f"--concurrency={self.concurrency}", "--loglevel=INFO",
            "--without-gossip", "--without-mingle", "--without-heartbeat", "-n", self.name,
            "-Q", "default,email,training",
        ]  # fmt: skip
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        if wait:
            wait_for(self.ready, timeout=timeout, message=f"worker start\n{self.tail()}")
        return self

    def ready(self) -> bool:
        if self.process and self.process.poll() is not None:
            raise RuntimeError(f"Celery worker exited:\n{self.tail()}")
        return " ready." in self.log.read_text(errors="replace")

    def _log(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def tasks_ended(self) -> int:
        """How many tasks have finished, one way or another (Celery logs each at INFO)."""
        return len(re.findall(r"\] (?:succeeded in|raised|retry:|failed)", self._log()))

    def idle(self) -> bool:
        """Every task it received has ended."""
        return self.tasks_ended() >= len(re.findall(r"\] received", self._log()))

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""

    def kill(self) -> None:
        """SIGKILL the whole worker (pool parent and children), as a crash would."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.unlink(missing_ok=True)


def use_broker(url: str | None) -> None:
    """Point this process's Celery app at ``url`` (None: back to eager, in process)."""
    from education.celery import app

    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None
    # kombu keeps producer pools in a process-wide registry keyed by connection: a pool
    # closed above would be handed out again to the next task (even an eager one).
    kombu_pools.reset()
    if url:
        app.conf.update(broker_url=url, task_always_eager=False)
    else:
        app.conf.update(
            broker_url=settings.CELERY_BROKER_URL,
            task_always_eager=settings.CELERY_TASK_ALWAYS_EAGER,
        )


def wait_for(condition, *, timeout: float = 60, interval: float = 0.05, message: str = ""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out waiting: {message}")
