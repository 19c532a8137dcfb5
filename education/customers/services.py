"""Writes about customers: upserts from traits and consent changes."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from education.customers.models import Account, Customer
from education.workspaces.models import Workspace

# identify() trait names that map onto customer columns (Segment's reserved traits).
_TRAIT_COLUMNS = {
    "email": "email",
    "name": "name",
    "locale": "locale",
    "timezone": "timezone",
    "plan": "plan",
}
_EMAIL_CONSENT_TRAITS = ("email_consent", "emailConsent", "email_opt_in", "unsubscribed")
_PERSONALISATION_TRAITS = ("personalisation_consent", "personalization_consent", "personalization")


def customer_fields_from_traits(traits: dict[str, Any]) -> dict[str, Any]:
    """Column values carried by identify() traits; unknown traits stay in ``traits``."""
    fields: dict[str, Any] = {}
    for trait, column in _TRAIT_COLUMNS.items():
        value = traits.get(trait)
        if isinstance(value, str):
            limit = Customer._meta.get_field(column).max_length
            fields[column] = value[:limit]
    if "name" not in fields:
        first, last = traits.get("firstName") or "", traits.get("lastName") or ""
        if isinstance(first, str) and isinstance(last, str) and (first or last):
            fields["name"] = f"{first} {last}".strip()[:255]
    for trait in _EMAIL_CONSENT_TRAITS:
        if isinstance(traits.get(trait), bool):
            fields["email_consent"] = (
                (not traits[trait]) if trait == "unsubscribed" else traits[trait]
            )
    for trait in _PERSONALISATION_TRAITS:
        if isinstance(traits.get(trait), bool):
            fields["personalisation_consent"] = traits[trait]
    return fields


@transaction.atomic
def customer_upsert(
    *,
    workspace: Workspace,
    external_id: str,
    traits: dict[str, Any] | None = None,
    account_external_id: str = "",
    is_anonymous: bool = False,
) -> Customer:
    """Create or update a customer from identify() traits."""
    traits = traits or {}
    customer, _ = Customer.objects.select_for_update().get_or_create(
        workspace=workspace, external_id=external_id, defaults={"is_anonymous": is_anonymous}
    )
    for field, value in customer_fields_from_traits(traits).items():
        setattr(customer, field, value)
    customer.traits = {**customer.traits, **traits}
    if account_external_id:
        customer.account, _ = Account.objects.get_or_create(
            workspace=workspace, external_id=account_external_id
        )
    if not is_anonymous:
        customer.is_anonymous = False
    customer.last_seen_at = timezone.now()
    customer.save()
    return customer


@transaction.atomic
def customer_preferences_update(
    *,
    customer: Customer,
    personalisation_consent: bool | None = None,
    email_consent: bool | None = None,
) -> Customer:
    if personalisation_consent is not None:
        customer.personalisation_consent = personalisation_consent
    if email_consent is not None:
        customer.email_consent = email_consent
    customer.save(update_fields=["personalisation_consent", "email_consent", "updated_at"])
    return customer
