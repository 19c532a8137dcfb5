"""Reads about customers."""

from education.customers.identity import identity_hash
from education.customers.models import Customer, SuppressedIdentity
from education.workspaces.models import Workspace


def customer_get(*, workspace: Workspace, external_id: str) -> Customer | None:
    return Customer.objects.filter(workspace=workspace, external_id=external_id).first()


def customer_is_suppressed(*, workspace_id: int, external_id: str) -> bool:
    return SuppressedIdentity.objects.filter(
        workspace_id=workspace_id,
        identity_hash=identity_hash(workspace_id=workspace_id, external_id=external_id),
    ).exists()
