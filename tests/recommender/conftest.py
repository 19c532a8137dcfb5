"""A small workspace whose right answers are known: invoice people and export people.

Half the customers use Invoices and complete invoice lessons; the other half use Exports
and complete export lessons. A model trained on them must keep each group on its side.
"""

import datetime as dt
import itertools
from dataclasses import dataclass

import pytest
from django.utils import timezone

from education.customers.models import Customer
from education.events.models import UsageEvent
from education.progress.models import LessonProgress
from tests.factories import (
    CustomerFactory,
    LearningPathPageFactory,
    LessonPageFactory,
    ProductFeatureFactory,
)

_message_ids = itertools.count()


@dataclass
class Ledger:
    workspace: object
    invoices: object
    exports: object
    invoice_lessons: list
    export_lessons: list
    invoice_path: object
    export_path: object


def add_events(customer: Customer, signals: list[tuple[str, str, float]], days_ago: int = 5):
    """Store events (signal, kind, weight) for ``customer``, oldest first."""
    base = timezone.now() - dt.timedelta(days=days_ago)
    UsageEvent.objects.bulk_create(
        [
            UsageEvent(
                workspace_id=customer.workspace_id,
                customer=customer,
                message_id=f"test-{next(_message_ids)}",
                name="test",
                feature_key=signal.partition(":")[2] if kind != "lesson" else "",
                kind=kind,
                signal=signal,
                weight=weight,
                timestamp=base + dt.timedelta(minutes=i),
            )
            for i, (signal, kind, weight) in enumerate(signals)
        ]
    )


def complete(customer: Customer, lesson) -> None:
    LessonProgress.objects.create(
        customer=customer, lesson=lesson, status="completed", completed_at=timezone.now()
    )


@pytest.fixture
def ledger(workspace, settings, tmp_path) -> Ledger:
    settings.MODEL_DIR = tmp_path / "models"
    settings.RECOMMENDER_ALGORITHM = "als"
    invoices = ProductFeatureFactory(workspace=workspace, key="invoices", name="Invoices")
    exports = ProductFeatureFactory(workspace=workspace, key="exports", name="Exports")
    invoice_lessons = [
        LessonPageFactory(workspace=workspace, title=f"Invoices {i}", features=[invoices])
        for i in range(6)
    ]
    export_lessons = [
        LessonPageFactory(workspace=workspace, title=f"Exports {i}", features=[exports])
        for i in range(6)
    ]
    invoice_path = LearningPathPageFactory(
        workspace=workspace, title="Getting paid", lessons=invoice_lessons[:3]
    )
    invoice_path.audience_feature = invoices
    invoice_path.save_revision().publish()
    export_path = LearningPathPageFactory(
        workspace=workspace, title="Exporting", lessons=export_lessons[:3]
    )
    export_path.audience_feature = exports
    export_path.save_revision().publish()
    for group, (feature, lessons) in enumerate(
        [("invoices", invoice_lessons), ("exports", export_lessons)]
    ):
        for n in range(30):
            customer = CustomerFactory(workspace=workspace, external_id=f"g{group}-{n}")
            # Each customer took four of the group's six lessons, in a rotating order, so
            # the holdout (their latest lessons) differs between customers.
            order = (lessons[n % 6 :] + lessons[: n % 6])[:4]
            signals = [(f"used:{feature}", "used", 1.0)] * 3
            signals += [(f"lesson:{lesson.pk}", "lesson", 3.0) for lesson in order]
            add_events(customer, signals, days_ago=10)
    return Ledger(
        workspace, invoices, exports, invoice_lessons, export_lessons, invoice_path, export_path
    )
