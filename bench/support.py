"""What every benchmark needs: a throwaway PostgreSQL database, Django set up on it, ports."""

from __future__ import annotations

import contextlib
import os
import socket
import tempfile
from collections.abc import Iterator

import numpy as np
import psycopg

DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"


def percentile_ms(samples: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(samples) * 1000, q))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def throwaway_database(prefix: str, admin_url: str = DEFAULT_POSTGRES) -> Iterator[str]:
    """Create an empty PostgreSQL database, yield its URL, drop it afterwards."""
    name = f"{prefix}_{os.getpid()}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def django_on(database_url: str) -> None:
    """Point this process's Django at ``database_url`` (before anything imports settings)."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DATA_DIR", tempfile.mkdtemp(prefix="waypoint-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "education.settings")
    os.environ["LOG_LEVEL"] = "WARNING"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
