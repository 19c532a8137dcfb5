"""Reads about customers."""

from django.core.cache import cache

from education.customers.identity import identity_hash
from education.customers.models import Customer, SuppressedIdentity
from education.workspaces.models import Workspace


def customer_get(*, workspace: Workspace, external_id: str) -> Customer | None:
    return Customer.objects.filter(workspace=workspace, external_id=external_id).first()


# Which row a product's user id names never changes while the row exists: every API call
# resolves it, so it is cached, and forgotten when the row is saved or deleted.
CUSTOMER_ID_CACHE_SECONDS = 3600


def _customer_id_key(workspace_id: int, external_id: str) -> str:
    hashed = identity_hash(workspace_id=workspace_id, external_id=external_id)
    return f"customer-id:{workspace_id}:{hashed}"


def customer_id_get(*, workspace_id: int, external_id: str) -> int | None:
    """The primary key of the workspace's customer with this id, or None."""
    key = _customer_id_key(workspace_id, external_id)
    customer_id = cache.get(key)
    if customer_id is None:
        customer_id = (
            Customer.objects.filter(workspace_id=workspace_id, external_id=external_id)
            .values_list("pk", flat=True)
            .first()
        )
        if customer_id is not None:
            cache.set(key, customer_id, CUSTOMER_ID_CACHE_SECONDS)
    return customer_id


def customer_id_forget(sender, instance: Customer, **_kwargs) -> None:
    """Signal receiver: a saved or deleted customer is looked up afresh next time."""
    cache.delete(_customer_id_key(instance.workspace_id, instance.external_id))


def customer_is_suppressed(*, workspace_id: int, external_id: str) -> bool:
    return SuppressedIdentity.objects.filter(
        workspace_id=workspace_id,
        identity_hash=identity_hash(workspace_id=workspace_id, external_id=external_id),
    ).exists()
