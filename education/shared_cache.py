"""Read-through use of the shared cache (Redis when deployed) that survives its outage.

The shared cache only saves database reads: key lookups, workspace rows, ingestion
settings, the active model's stamp. When it cannot be reached, the database answers
instead, so an outage of the cache makes requests slower, not failed, and ingestion goes
on storing events.
"""

import logging
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

logger = logging.getLogger(__name__)

T = TypeVar("T")


def cached(key: str, load: Callable[[], T], seconds: int) -> T:
    """The shared cache's value for ``key``, else ``load()``'s, kept for ``seconds``.

    None results are not kept (return a sentinel such as 0 to remember an absence).
    """
    try:
        found = cache.get(key)
    except Exception as exc:  # the cache is unreachable; its errors differ per backend
        logger.warning("shared cache unavailable (%r): %s read from the database", exc, key)
        return load()
    if found is not None:
        return found
    found = load()
    if found is not None:
        try:
            cache.set(key, found, seconds)
        except Exception as exc:
            logger.warning("shared cache unavailable (%r): %s not kept", exc, key)
    return found
