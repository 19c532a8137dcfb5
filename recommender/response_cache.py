"""Served documents (a customer's recommendations, their path) cached until stale.

A document is keyed by everything it depends on: the catalogue version, the active
model's stamp and the customer's state token. When any of them changes the key changes,
so nothing has to be deleted and no stale document can be served; old entries expire.
"""

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

from recommender.catalogue import catalogue_version
from recommender.freshness import customer_state_tokens
from recommender.registry import active_stamp

# A document's longest life, as a bound on anything unversioned (a lesson's title...).
DOCUMENT_SECONDS = 300

T = TypeVar("T")


def _state(workspace_id: int, customer_id: int) -> str:
    version, revision, _path = active_stamp(workspace_id)
    token = customer_state_tokens([customer_id])[customer_id]
    raw = f"{catalogue_version()}|{version}|{revision}|{token}"
    return hashlib.blake2b(raw.encode(), digest_size=12).hexdigest()


def served_document(*, workspace_id: int, customer_id: int, name: str, build: Callable[[], T]) -> T:
    """``build()``'s result for this customer, from the cache while nothing changed.

    Takes ids, not rows: a document served from the cache reads nothing from the database.
    """
    key = f"served:{name}:{customer_id}:{_state(workspace_id, customer_id)}"
    document = cache.get(key)
    if document is None:
        document = build()
        cache.set(key, document, DOCUMENT_SECONDS)
    return document
