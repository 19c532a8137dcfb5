"""Erasure: every row of a customer goes, their id is suppressed, an audit row stays."""

from collections import Counter

from django.db import transaction

from education.customers.identity import identity_hash
from education.customers.models import Customer, ErasureRecord, SuppressedIdentity
from education.privacy.selectors import rejected_events_of
from education.workspaces.models import Workspace


@transaction.atomic
def customer_erase(*, workspace: Workspace, external_id: str, requested_via: str) -> ErasureRecord:
    """Erase a customer of ``workspace`` by the product's user id. Idempotent.

    The recommender forgets the customer's factors first (so no model keeps serving
    them), then the customer row goes with every row that references it (cascade). The
    id is suppressed, so ingestion stops storing events for it, and the audit record
    keeps only a hash of the id, the channel and row counts.
    """
    from recommender.services import model_forget_customer  # the recommender's facade

    hashed = identity_hash(workspace_id=workspace.pk, external_id=external_id)
    SuppressedIdentity.objects.get_or_create(workspace=workspace, identity_hash=hashed)
    counts: Counter[str] = Counter()
    for customer in Customer.objects.filter(workspace=workspace, external_id=external_id):
        model_forget_customer(customer=customer)
        rejected = rejected_events_of(customer=customer)
        _total, per_model = rejected.delete()
        counts.update(per_model)
        _total, per_model = customer.delete()
        counts.update(per_model)
    return ErasureRecord.objects.create(
        workspace=workspace,
        identity_hash=hashed,
        requested_via=requested_via,
        rows_deleted={label: count for label, count in sorted(counts.items()) if count},
    )
