"""Customers and accounts from ingested calls: bulk upsert, identify, group and alias.

All of it runs inside ingestion's transaction, in a fixed number of queries per batch,
except merges (alias, or identify carrying both ids), which are rare and touch a few
rows each.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.db import IntegrityError, models, transaction

from education.customers.models import Account, Customer
from education.customers.services import customer_fields_from_traits
from education.events.payloads import Message
from education.events.selectors import any_of
from education.progress.services import progress_combine

# Traits that name the customer's account (Segment's ``groupId`` / ``company.id``).
_ACCOUNT_TRAITS = ("groupId", "group_id", "accountId", "account_id")
# analytics.js sends locale and timezone in the context rather than as traits.
_CONTEXT_COLUMNS = ("locale", "timezone")
_CUSTOMER_COLUMNS = (
    "email",
    "name",
    "locale",
    "timezone",
    "plan",
    "personalisation_consent",
    "email_consent",
)


def rows_ensure(
    model: type[models.Model],
    *,
    workspace_id: int,
    external_ids: dict[str, dict[str, Any]],
) -> dict[str, int]:
    """Ids of the workspace's rows with these external ids, creating the missing ones.

    ``external_ids`` maps each external id to the fields of a new row. One query when all
    exist; three (fetch, insert ignoring conflicts, refetch) when some are new.
    """
    if not external_ids:
        return {}
    manager = model._base_manager
    found = dict(
        manager.filter(
            any_of("external_id", list(external_ids)), workspace_id=workspace_id
        ).values_list("external_id", "pk")
    )
    missing = sorted(set(external_ids) - set(found))
    if missing:
        # Sorted, so that concurrent batches creating the same rows lock them in one
        # order; ignore_conflicts, because another request may create them first.
        manager.bulk_create(
            [
                model(
                    workspace_id=workspace_id, external_id=external_id, **external_ids[external_id]
                )
                for external_id in missing
            ],
            ignore_conflicts=True,
        )
        found.update(
            manager.filter(any_of("external_id", missing), workspace_id=workspace_id).values_list(
                "external_id", "pk"
            )
        )
    return found


def customers_ensure(
    *, workspace_id: int, messages: Iterable[Message], seen_at: datetime
) -> dict[str, int]:
    """Customer ids by external id for every customer the messages name."""
    wanted: dict[str, dict[str, Any]] = {}
    for message in messages:
        if message.user_id:
            wanted[message.user_id] = {"is_anonymous": False, "last_seen_at": seen_at}
        elif message.anonymous_id not in wanted:
            wanted[message.anonymous_id] = {"is_anonymous": True, "last_seen_at": seen_at}
    return rows_ensure(Customer, workspace_id=workspace_id, external_ids=wanted)


def _account_id_from_traits(traits: dict[str, Any]) -> str:
    for trait in _ACCOUNT_TRAITS:
        value = traits.get(trait)
        if isinstance(value, str | int) and not isinstance(value, bool) and str(value).strip():
            return str(value).strip()[:255]
    company = traits.get("company")
    if isinstance(company, dict) and isinstance(company.get("id"), str | int):
        return str(company["id"]).strip()[:255]
    return ""


def _account_fields_from_traits(traits: dict[str, Any]) -> dict[str, str]:
    fields = {}
    for column in ("name", "plan"):
        value = traits.get(column)
        if isinstance(value, str):
            fields[column] = value[: Account._meta.get_field(column).max_length]
    return fields


def profiles_apply(
    *,
    workspace_id: int,
    messages: Sequence[Message],
    customer_ids: dict[str, int],
    seen_at: datetime,
) -> None:
    """Apply identify, group and alias calls in the order they were sent."""
    if not messages:
        return
    # Locked in id order: concurrent identifies of one customer merge their traits
    # instead of overwriting each other, and cannot deadlock.
    ids = sorted({customer_ids[m.customer_external_id] for m in messages if m.type != "alias"})
    customers = {
        customer.pk: customer
        for customer in Customer.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    }
    account_ids = rows_ensure(
        Account,
        workspace_id=workspace_id,
        external_ids={
            account: {}
            for account in (
                m.group_id or _account_id_from_traits(m.traits or {})
                for m in messages
                if m.type != "alias"
            )
            if account
        },
    )
    accounts = {
        account.pk: account
        for account in Account.objects.select_for_update()
        .filter(pk__in=sorted({account_ids[m.group_id] for m in messages if m.group_id}))
        .order_by("pk")
    }

    merges: list[tuple[str, str]] = []
    for message in messages:
        if message.type == "alias":
            merges.append((message.previous_id, message.user_id))
            continue
        customer = customers[customer_ids[message.customer_external_id]]
        traits = message.traits or {}
        if message.type == "identify":
            for column in _CONTEXT_COLUMNS:
                value = message.context.get(column)
                if isinstance(value, str) and value:
                    limit = Customer._meta.get_field(column).max_length
                    setattr(customer, column, value[:limit])
            for column, value in customer_fields_from_traits(traits).items():
                setattr(customer, column, value)
            customer.traits = {**customer.traits, **traits}
            account = _account_id_from_traits(traits)
            if account:
                customer.account_id = account_ids[account]
            customer.last_seen_at = seen_at
            customer.updated_at = seen_at  # bulk_update skips auto_now
            if message.user_id and message.anonymous_id and message.anonymous_id != message.user_id:
                merges.append((message.anonymous_id, message.user_id))
        else:  # group
            customer.account_id = account_ids[message.group_id]
            account = accounts[account_ids[message.group_id]]
            for column, value in _account_fields_from_traits(traits).items():
                setattr(account, column, value)
            account.traits = {**account.traits, **traits}

    Customer.objects.bulk_update(
        list(customers.values()),
        [*_CUSTOMER_COLUMNS, "traits", "account", "last_seen_at", "updated_at"],
    )
    if accounts:
        Account.objects.bulk_update(list(accounts.values()), ["name", "plan", "traits"])
    for source, target in merges:
        customer_merge(
            workspace_id=workspace_id, source_external_id=source, target_external_id=target
        )


def customer_merge(*, workspace_id: int, source_external_id: str, target_external_id: str) -> None:
    """Merge one customer into another: their rows move, the known customer's values win.

    Used by ``alias`` (previousId into userId) and by ``identify`` calls that carry both
    an anonymousId and a userId. When only the source exists it is simply renamed.
    """
    rows = {
        customer.external_id: customer
        for customer in Customer.objects.select_for_update()
        .filter(workspace_id=workspace_id, external_id__in=[source_external_id, target_external_id])
        .order_by("pk")
    }
    source, target = rows.get(source_external_id), rows.get(target_external_id)
    if source is None or source is target:
        return
    if target is None:
        source.external_id = target_external_id
        source.is_anonymous = False
        source.save(update_fields=["external_id", "is_anonymous", "updated_at"])
        return

    progress_combine(source=source, target=target)
    for relation in Customer._meta.related_objects:
        if relation.many_to_many or not relation.field.concrete:
            continue
        _rows_move(relation.related_model, relation.field.name, source, target)
    for column in ("email", "name", "locale", "timezone", "plan"):
        if not getattr(target, column):
            setattr(target, column, getattr(source, column))
    target.account_id = target.account_id or source.account_id
    target.traits = {**source.traits, **target.traits}
    target.save()
    source.delete()


def _rows_move(model: type[models.Model], field: str, source: Customer, target: Customer) -> None:
    manager = model._base_manager
    try:
        with transaction.atomic():
            manager.filter(**{field: source}).update(**{field: target})
        return
    except IntegrityError:
        pass
    # Some rows collide with the target's own (e.g. progress on the same lesson): move the
    # others one by one; the colliding ones go with the source, the target's rows win.
    for pk in manager.filter(**{field: source}).values_list("pk", flat=True):
        try:
            with transaction.atomic():
                manager.filter(pk=pk).update(**{field: target})
        except IntegrityError:
            continue
