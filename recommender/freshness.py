"""When a customer's served lessons may have changed: one token per customer.

Everything a customer's recommendations and path depend on is versioned: the CMS catalogue
(``catalogue.catalogue_version``), the active model (``registry.active_stamp``) and the
customer's own state, a token replaced whenever their progress, enrolments, pins,
preferences or events change. Caches of served responses key on all three, so they never
need to be found and deleted.
"""

import logging
import uuid
from collections.abc import Iterable

from django.core.cache import cache

from education.local_cache import LocalCache

logger = logging.getLogger(__name__)

# Tokens outlive any cached response; a token that expired is simply issued anew.
TOKEN_SECONDS = 7 * 24 * 3600
# Served documents are also kept in each process this long (``response_cache``): a change
# made through another process shows within it, one made through this process at once.
LOCAL_DOCUMENT_SECONDS = 3
served_local = LocalCache(seconds=LOCAL_DOCUMENT_SECONDS, size=20_000)


def state_token_key(customer_id: int) -> str:
    return f"customer-state:{customer_id}"


def customer_state_tokens(customer_ids: list[int]) -> dict[int, str]:
    """The current token of each customer (issued on first use)."""
    found = cache.get_many([state_token_key(pk) for pk in customer_ids])
    tokens = {pk: found.get(state_token_key(pk)) for pk in customer_ids}
    missing = {pk: uuid.uuid4().hex for pk, token in tokens.items() if token is None}
    for pk, token in missing.items():
        # add(): if another process issued one meanwhile, theirs stands.
        if not cache.add(state_token_key(pk), token, TOKEN_SECONDS):
            missing[pk] = cache.get(state_token_key(pk)) or token
    return {**tokens, **missing}


def customers_changed(customer_ids: Iterable[int]) -> None:
    """Their served lessons may differ now. Never raises: a cache outage only delays."""
    customer_ids = set(customer_ids)
    for customer_id in customer_ids:
        served_local.forget(customer_id)
    tokens = {state_token_key(pk): uuid.uuid4().hex for pk in customer_ids}
    if not tokens:
        return
    try:
        cache.set_many(tokens, TOKEN_SECONDS)
    except Exception:  # the cache is down; cached responses expire on their own
        logger.warning("could not refresh %d customer state tokens", len(tokens), exc_info=True)


def customer_changed_receiver(sender, instance, **_kwargs) -> None:
    """Signal receiver for rows that carry a ``customer_id`` (or are the customer)."""
    customer_id = getattr(instance, "customer_id", None) or (
        instance.pk if sender.__name__ == "Customer" else None
    )
    if customer_id:
        customers_changed([customer_id])
