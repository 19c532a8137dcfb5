"""Customers of a product, the accounts they belong to, and privacy records."""

import uuid

from django.db import models
from django.utils.timezone import now

from education.workspaces.models import Workspace


class Account(models.Model):
    """A company account (Segment's ``group``) that customers belong to."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="accounts")
    external_id = models.CharField(max_length=255)
    name = models.CharField(max_length=255, blank=True)
    plan = models.CharField(max_length=60, blank=True)
    traits = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "external_id"], name="account_unique_id")
        ]

    def __str__(self) -> str:
        return self.name or self.external_id


class Customer(models.Model):
    """A user of the product, identified by the product's own id (``userId``).

    Customers seen only by ``anonymousId`` are kept with ``is_anonymous`` until an
    ``alias`` or ``identify`` merges them into a known customer.
    """

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="customers")
    external_id = models.CharField(max_length=255)
    # Pseudonymous id used outside the product (links in email, model artifacts, logs).
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    is_anonymous = models.BooleanField(default=False)
    email = models.EmailField(blank=True)
    name = models.CharField(max_length=255, blank=True)
    locale = models.CharField(max_length=10, blank=True)
    timezone = models.CharField(max_length=64, blank=True)
    plan = models.CharField(max_length=60, blank=True)
    account = models.ForeignKey(
        Account, null=True, blank=True, on_delete=models.SET_NULL, related_name="customers"
    )
    traits = models.JSONField(default=dict, blank=True)
    personalisation_consent = models.BooleanField(
        default=True, help_text="Off: the customer gets the same non-personalised path as everyone."
    )
    email_consent = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(auto_now=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "external_id"], name="customer_unique_id")
        ]
        indexes = [models.Index(fields=["workspace", "email_consent"])]

    def __str__(self) -> str:
        return self.name or self.external_id


class SuppressedIdentity(models.Model):
    """A user id whose data was erased: its future events are not stored again.

    Keyed by a hash of the user id, so the list itself holds no personal data.
    """

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="suppressions")
    identity_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "identity_hash"], name="suppression_unique_identity"
            )
        ]


class ErasureRecord(models.Model):
    """Audit trail of an erasure: when, by what channel, how many rows. No personal data."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="erasures")
    identity_hash = models.CharField(max_length=64, db_index=True)
    requested_via = models.CharField(max_length=30)
    rows_deleted = models.JSONField(default=dict)
    erased_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["-erased_at"]
