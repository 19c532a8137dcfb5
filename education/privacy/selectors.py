"""Export: one JSON document with every row that references a customer.

The rows are found by walking the reverse relations of ``Customer`` (``_meta``, hidden
ones included; then those of the rows found, a few levels down), so a table added later
that points at a customer is exported without any change here.
"""

import base64
import datetime as dt
import decimal
import uuid
from collections import defaultdict
from typing import Any

from django.db import models
from django.utils import timezone

from education.customers.models import Customer
from education.events.models import RejectedEvent

# Rows that reference rows that reference the customer (e.g. clicks of an email sent to
# them) are followed this many levels down.
MAX_DEPTH = 3


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID | decimal.Decimal):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode()
    return value


def row_document(row: models.Model) -> dict[str, Any]:
    return {
        field.attname: _json_value(field.value_from_object(row))
        for field in row._meta.concrete_fields
    }


def _referencing_querysets(model: type[models.Model], pks: list) -> list[tuple[str, Any]]:
    """(table label, queryset) of the rows that point at ``pks`` of ``model``."""
    found = []
    # Hidden relations too (``related_name="+"``): a row is about the customer whether or
    # not its model gave the relation a name.
    relations = [
        field
        for field in model._meta.get_fields(include_hidden=True)
        if field.auto_created and not field.concrete and field.is_relation
    ]
    for relation in relations:
        if relation.many_to_many:
            through = relation.through
            for field in through._meta.concrete_fields:
                if field.is_relation and field.related_model is model:
                    found.append(
                        (
                            through._meta.label,
                            through._base_manager.filter(**{f"{field.name}__in": pks}),
                        )
                    )
            continue
        related_model = relation.related_model
        found.append(
            (
                related_model._meta.label,
                related_model._base_manager.filter(**{f"{relation.field.name}__in": pks}),
            )
        )
    return found


def customer_related_rows(*, customer: Customer) -> dict[str, list[models.Model]]:
    """Every row that references the customer, directly or through other such rows."""
    rows: dict[str, dict[Any, models.Model]] = defaultdict(dict)
    frontier: list[tuple[type[models.Model], list]] = [(Customer, [customer.pk])]
    for _depth in range(MAX_DEPTH):
        next_frontier = []
        for model, pks in frontier:
            for label, queryset in _referencing_querysets(model, pks):
                new = [row for row in queryset.order_by("pk") if row.pk not in rows[label]]
                for row in new:
                    rows[label][row.pk] = row
                if new:
                    next_frontier.append((type(new[0]), [row.pk for row in new]))
        frontier = next_frontier
        if not frontier:
            break
    rejected = list(rejected_events_of(customer=customer))
    if rejected:
        rows[RejectedEvent._meta.label].update({row.pk: row for row in rejected})
    return {label: list(by_pk.values()) for label, by_pk in sorted(rows.items()) if by_pk}


def rejected_events_of(*, customer: Customer):
    """Payloads that failed validation but name the customer (they hold their data too)."""
    return RejectedEvent.objects.filter(workspace_id=customer.workspace_id).filter(
        models.Q(payload__userId=customer.external_id)
        | models.Q(payload__anonymousId=customer.external_id)
    )


def customer_export(*, customer: Customer) -> dict[str, Any]:
    account = customer.account
    return {
        "exported_at": timezone.now().isoformat(),
        "customer": row_document(customer),
        "account": row_document(account) if account else None,
        "related": {
            label: [row_document(row) for row in rows]
            for label, rows in customer_related_rows(customer=customer).items()
        },
    }
