"""Served documents (a customer's recommendations, their path) cached until stale.

A document is stored with the state it was built in: the catalogue version, the active
model's stamp and the customer's state token. When any of them changes the stored state no
longer matches and the document is built again, so nothing has to be found and deleted and
no stale document is served. Checking one against the shared cache is a single round
trip (the customer's token and the document); the catalogue version and the model stamp
come from this process's local cache (see ``education.local_cache``). In front of that,
each process keeps the documents it served for ``LOCAL_DOCUMENT_SECONDS``: a change made
through another process shows within those seconds, one made through this process (or a
request asking for a fresh answer) at once.
"""

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

from recommender.catalogue import catalogue_version
from recommender.freshness import customer_state_tokens, served_local, state_token_key
from recommender.registry import active_stamp

# A document's longest life, as a bound on anything unversioned (a lesson's title...).
DOCUMENT_SECONDS = 300

T = TypeVar("T")


def _state(workspace_id: int, token: str) -> str:
    version, revision, _path = active_stamp(workspace_id)
    raw = f"{catalogue_version()}|{version}|{revision}|{token}"
    return hashlib.blake2b(raw.encode(), digest_size=12).hexdigest()


def served_document(
    *,
    workspace_id: int,
    customer_id: int,
    name: str,
    build: Callable[[], T],
    fresh: bool = False,
) -> T:
    """``build()``'s result for this customer, from the cache while nothing changed.

    Takes ids, not rows: a document served from the cache reads nothing from the database.
    This process's copy (at most ``LOCAL_DOCUMENT_SECONDS`` old) answers first unless the
    caller asks for a ``fresh`` one, which is checked against the shared cache.
    """
    if fresh:
        served_local.forget(customer_id)
    documents = served_local.get(customer_id, dict)
    if name not in documents:
        documents[name] = _shared_document(workspace_id, customer_id, name, build)
    return documents[name]


def _shared_document(workspace_id: int, customer_id: int, name: str, build: Callable[[], T]) -> T:
    document_key, token_key = f"served:{name}:{customer_id}", state_token_key(customer_id)
    found = cache.get_many([token_key, document_key])
    token = found.get(token_key) or customer_state_tokens([customer_id])[customer_id]
    state = _state(workspace_id, token)
    stored = found.get(document_key)
    if stored is not None and stored[0] == state:
        return stored[1]
    document = build()
    cache.set(document_key, (state, document), DOCUMENT_SECONDS)
    return document
