"""Reads about customers."""

from django.core.cache import cache

from education.customers.identity import identity_hash
from education.customers.models import Customer, SuppressedIdentity
from education.local_cache import LocalCache
from education.shared_cache import cached
from education.workspaces.models import Workspace


def customer_get(*, workspace: Workspace, external_id: str) -> Customer | None:
    return Customer.objects.filter(workspace=workspace, external_id=external_id).first()


# Which row a product's user id names never changes while the row exists: every API call
# resolves it, so it is cached, and forgotten when the row is saved or deleted.
CUSTOMER_ID_CACHE_SECONDS = 3600
customer_ids_local = LocalCache(seconds=60, size=100_000)


def _customer_id_key(workspace_id: int, external_id: str) -> str:
    hashed = identity_hash(workspace_id=workspace_id, external_id=external_id)
    return f"customer-id:{workspace_id}:{hashed}"


def customer_id_get(*, workspace_id: int, external_id: str) -> int | None:
    """The primary key of the workspace's customer with this id, or None.

    A process may hold an id for a minute after another deleted the row; callers load the
    row by this id and treat a missing row as no customer.
    """
    key = _customer_id_key(workspace_id, external_id)
    return customer_ids_local.get(key, lambda: _customer_id_shared(key, workspace_id, external_id))


def _customer_id_shared(key: str, workspace_id: int, external_id: str) -> int | None:
    def load() -> int | None:
        found = Customer.objects.filter(workspace_id=workspace_id, external_id=external_id)
        return found.values_list("pk", flat=True).first()

    return cached(key, load, CUSTOMER_ID_CACHE_SECONDS)


def customer_id_forget(sender, instance: Customer, **_kwargs) -> None:
    """Signal receiver: a saved or deleted customer is looked up afresh next time."""
    key = _customer_id_key(instance.workspace_id, instance.external_id)
    cache.delete(key)
    customer_ids_local.forget(key)


def customer_is_suppressed(*, workspace_id: int, external_id: str) -> bool:
    return SuppressedIdentity.objects.filter(
        workspace_id=workspace_id,
        identity_hash=identity_hash(workspace_id=workspace_id, external_id=external_id),
    ).exists()
