"""Per-workspace ingestion rate limit: a one-second window counted in the shared cache."""

from __future__ import annotations

import logging
import time

from django.core.cache import cache

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 1


def ingest_rate_exceeded(*, workspace_id: int, events: int, limit_per_second: int) -> bool:
    """Count ``events`` against this second's budget; True when the request must wait.

    A request that alone is larger than the budget passes when it is the first of its
    second, or a big batch could never get through. When the cache is unreachable the
    limit is not applied: slowing clients down must not stop ingestion.
    """
    key = f"ingest-rate:{workspace_id}:{int(time.time())}"
    try:
        cache.add(key, 0, timeout=RETRY_AFTER_SECONDS + 1)
        count = cache.incr(key, events)
    except ValueError:  # the key expired between add() and incr(): a fresh window
        return False
    except Exception:  # the cache is down; its own errors differ per backend
        logger.warning("ingestion: rate limit not applied, cache unavailable", exc_info=True)
        return False
    return count > limit_per_second and count > events
