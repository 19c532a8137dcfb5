"""Served documents (a customer's recommendations, their path) cached until stale.

A document is keyed by everything it depends on: the catalogue version, the active
model's stamp and the customer's state token. When any of them changes the key changes,
so nothing has to be deleted and no stale document can be served; old entries expire.
"""

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

from education.customers.models import Customer
from recommender.catalogue import catalogue_version
from recommender.freshness import customer_state_tokens
from recommender.registry import active_stamp

# A document's longest life, as a bound on anything unversioned (a lesson's title...).
DOCUMENT_SECONDS = 300

T = TypeVar("T")


def _state(customer: Customer) -> str:
    version, revision, _path = active_stamp(customer.workspace_id)
    token = customer_state_tokens([customer.pk])[customer.pk]
    raw = f"{catalogue_version()}|{version}|{revision}|{token}"
    return hashlib.blake2b(raw.encode(), digest_size=12).hexdigest()


def served_document(*, customer: Customer, name: str, build: Callable[[], T]) -> T:
    """``build()``'s result for this customer, from the cache while nothing changed."""
    key = f"served:{name}:{customer.pk}:{_state(customer)}"
    document = cache.get(key)
    if document is None:
        document = build()
        cache.set(key, document, DOCUMENT_SECONDS)
    return document
