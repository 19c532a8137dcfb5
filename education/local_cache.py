"""A small in-process cache in front of the shared one, for what every request reads and
what seldom changes (key lookups, verified tokens, the active model's stamp).

A value lives here for a few seconds at most, so another process's change (a revoked key,
a newly activated model) applies within that time everywhere, and at once in the process
that made it (its ``forget`` runs there). The shared cache (``django.core.cache``) stays
the source of truth between processes; this only saves its round trips.
"""

import threading
from collections.abc import Callable, Hashable
from typing import TypeVar

from cachetools import TTLCache

T = TypeVar("T")
_MISSING = object()
_all: list["LocalCache"] = []


class LocalCache:
    def __init__(self, *, seconds: float, size: int = 10_000) -> None:
        self._values: TTLCache = TTLCache(maxsize=size, ttl=seconds)
        self._lock = threading.Lock()
        _all.append(self)

    def get(self, key: Hashable, load: Callable[[], T]) -> T:
        """The value for ``key``, from ``load()`` when absent; None results are not kept."""
        with self._lock:
            value = self._values.get(key, _MISSING)
        if value is _MISSING:
            value = load()
            if value is not None:
                with self._lock:
                    self._values[key] = value
        return value

    def forget(self, key: Hashable | None = None) -> None:
        """Drop ``key`` (or everything) in this process."""
        with self._lock:
            if key is None:
                self._values.clear()
            else:
                self._values.pop(key, None)


def local_caches_clear() -> None:
    """Empty every local cache of this process (tests, after clearing the shared cache)."""
    for local in _all:
        local.forget()
