"""How much each deliverable lesson is worth to one customer right now.

Three sources, used in this order of preference:
- personalised: the active model, with the customer folded in from their newest events
  (so a brand-new customer with a few events is personalised at once);
- content: lessons tagged with the features the customer uses, or struggles with
  (errors and support tickets weigh more), blended with popularity;
- popular: what most customers completed, the same for everyone (cold start, opt-out).
"""

import math
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta

import numpy as np
from django.conf import settings
from django.utils import timezone

from education.customers.models import Customer
from recommender.catalogue import Catalogue, catalogue_for
from recommender.core.serving import CustomerRow
from recommender.data import (
    EventArrays,
    LessonState,
    customer_state_and_events,
    customers_events,
    customers_lesson_state,
)
from recommender.registry import LoadedModel, active_model
from recommender.types import Reason, Source

# Fewer distinct columns the model knows than this: content-based picks instead.
MIN_COLUMNS_FOR_MODEL = 2
NEW_CUSTOMER_DAYS = 14
# A beginner lesson on features the customer already uses this much, without errors or
# tickets, teaches them nothing new: it counts as known.
KNOWN_USAGE_WEIGHT = 10.0
# Content-based interest per signal kind: struggling with a feature says more than using it.
CONTENT_KIND_WEIGHTS = {"used": 1.0, "error": 2.0, "ticket": 3.0}
POPULARITY_BLEND = 0.3
LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


@dataclass
class Pick:
    """A scored lesson before it is turned into a Recommendation."""

    lesson_id: int
    score: float
    source: Source
    reasons: list[Reason] = field(default_factory=list)


@dataclass
class CustomerContext:
    """Everything serving needs about one customer, read once per request (or per chunk)."""

    customer: Customer
    locale: str
    catalogue: Catalogue
    completed: set[int]
    events: EventArrays
    loaded: LoadedModel | None
    row: CustomerRow | None
    interest: dict[str, dict[str, float]]  # feature key -> kind -> weight
    pins: list[tuple[int, str]]  # lessons pinned by triggers: (lesson id, reason)
    enrolled_path_ids: set[int]  # authored paths followed and not finished (page ids)

    @property
    def personalised(self) -> bool:
        return self.row is not None

    @property
    def used_features(self) -> set[str]:
        return {key for key, kinds in self.interest.items() if kinds.get("used")}

    @property
    def is_new(self) -> bool:
        return self.customer.created_at >= timezone.now() - timedelta(days=NEW_CUSTOMER_DAYS)

    def known_by_usage(self, lesson_id: int) -> bool:
        """A beginner lesson whose every feature the customer uses often, without trouble."""
        lesson = self.catalogue.lessons[lesson_id]
        if lesson.level != "beginner" or not lesson.feature_keys:
            return False
        return all(
            not self.interest.get(key, {}).get("error")
            and not self.interest.get(key, {}).get("ticket")
            and self.interest.get(key, {}).get("used", 0.0) >= KNOWN_USAGE_WEIGHT
            for key in lesson.feature_keys
        )

    def is_known(self, lesson_id: int) -> bool:
        """Completed, or evidently mastered through use: not worth recommending again."""
        return lesson_id in self.completed or (
            self.customer.personalisation_consent and self.known_by_usage(lesson_id)
        )

    def deliverable(self) -> list[int]:
        """Lessons live in a locale the customer reads and not known yet."""
        completed = self.completed
        # Only beginner lessons on features can be known by usage: test just those.
        knowable = self.catalogue.knowable_by_usage if self.customer.personalisation_consent else ()
        return [
            lesson_id
            for lesson_id in self.catalogue.deliverable_ids(self.locale)
            if lesson_id not in completed
            and not (lesson_id in knowable and self.known_by_usage(lesson_id))
        ]


def customer_locale(customer: Customer, catalogue: Catalogue) -> str:
    language = (customer.locale or "").replace("_", "-").split("-")[0].lower()
    return language if language in LANGUAGE_CODES else catalogue.default_locale


def _interest(events: EventArrays) -> dict[str, dict[str, float]]:
    interest: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for column, kind, weight in zip(events.column_keys, events.kinds, events.weights, strict=True):
        signal_kind, _, feature = str(column).partition(":")
        if signal_kind in CONTENT_KIND_WEIGHTS and signal_kind == kind:
            interest[feature][signal_kind] += float(weight)
    return interest


def customer_context(customer: Customer) -> CustomerContext:
    consented = customer.personalisation_consent
    state, events = customer_state_and_events(
        customer=customer, now=timezone.now(), events=consented
    )
    return _context(
        customer,
        catalogue=catalogue_for(customer.workspace_id),
        state=state,
        events=events,
        loaded=active_model(customer.workspace_id) if consented else None,
    )


def customer_contexts(customers: Sequence[Customer]) -> dict[int, CustomerContext]:
    """``customer_context`` of many customers (keyed by pk), reading their rows in two
    queries whatever their number; catalogue and model are looked up once per workspace."""
    ids = [customer.pk for customer in customers]
    states = customers_lesson_state(customer_ids=ids, now=timezone.now())
    events = customers_events(
        customer_ids=[customer.pk for customer in customers if customer.personalisation_consent]
    )
    workspace_ids = {customer.workspace_id for customer in customers}
    catalogues = {workspace_id: catalogue_for(workspace_id) for workspace_id in workspace_ids}
    models = {workspace_id: active_model(workspace_id) for workspace_id in workspace_ids}
    return {
        customer.pk: _context(
            customer,
            catalogue=catalogues[customer.workspace_id],
            state=states[customer.pk],
            events=events.get(customer.pk),
            loaded=models[customer.workspace_id] if customer.personalisation_consent else None,
        )
        for customer in customers
    }


def _context(
    customer: Customer,
    *,
    catalogue: Catalogue,
    state: LessonState,
    events: EventArrays | None,
    loaded: LoadedModel | None,
) -> CustomerContext:
    """The one place a context is assembled; ``events`` and ``loaded`` are None for
    customers who opted out of personalisation."""
    row = None
    if loaded is not None and events is not None and events.size:
        candidate = loaded.model.row_from_events(
            events.column_keys, events.kinds, events.weights, events.timestamps, now=time.time()
        )
        if candidate.indices.size >= MIN_COLUMNS_FOR_MODEL:
            row = candidate
    return CustomerContext(
        customer=customer,
        locale=customer_locale(customer, catalogue),
        catalogue=catalogue,
        completed=state.completed,
        events=events if events is not None else _no_events(),
        loaded=loaded,
        row=row,
        interest=_interest(events) if events is not None else {},
        pins=state.pins,
        enrolled_path_ids=state.enrolled_path_ids,
    )


def _no_events() -> EventArrays:
    empty = np.zeros(0)
    return EventArrays(empty.astype(str), empty.astype(str), empty.astype(str), empty, empty)


def popularity_scores(context: CustomerContext, lesson_ids: list[int]) -> dict[int, float]:
    """0..1 per lesson: the model's training popularity, else completions so far."""
    # Popularity is an aggregate, so opted-out customers get it from the model too.
    loaded = context.loaded or active_model(context.customer.workspace_id)
    if loaded is not None:
        model = loaded.model
        indices = model.column_positions(_lesson_columns(context, lesson_ids))
        raw = {
            lesson_id: float(model.popularity[index]) if index >= 0 else 0.0
            for lesson_id, index in zip(lesson_ids, indices, strict=True)
        }
    else:
        raw = {
            lesson_id: float(context.catalogue.completions.get(lesson_id, 0))
            for lesson_id in lesson_ids
        }
    top = max(raw.values(), default=0.0) or 1.0
    # Ties (e.g. no data at all) fall back to the easiest lessons first.
    return {
        lesson_id: value / top - 0.01 * context.catalogue.lessons[lesson_id].level_rank
        for lesson_id, value in raw.items()
    }


def _lesson_columns(context: CustomerContext, lesson_ids: list[int]) -> list[str]:
    lessons = context.catalogue.lessons
    return [lessons[lesson_id].column for lesson_id in lesson_ids]


def model_scores(context: CustomerContext, lesson_ids: list[int]) -> dict[int, float]:
    """The active model's score per lesson it knows (folded in from the customer's row)."""
    model = context.loaded.model
    indices = model.column_positions(_lesson_columns(context, lesson_ids))
    known = indices >= 0
    values = model.scores(row=context.row)[indices[known]].tolist()
    return dict(zip(np.asarray(lesson_ids)[known].tolist(), values, strict=True))


def content_scores(context: CustomerContext, lesson_ids: list[int]) -> dict[int, float]:
    """Interest in each lesson's features; 0 for lessons on features the customer never touched."""
    scores = {}
    for lesson_id in lesson_ids:
        lesson = context.catalogue.lessons[lesson_id]
        scores[lesson_id] = sum(
            CONTENT_KIND_WEIGHTS[kind] * math.log1p(weight)
            for key in lesson.feature_keys
            for kind, weight in context.interest.get(key, {}).items()
        )
    return scores


def strongest_signal(context: CustomerContext, feature_keys: tuple[str, ...]) -> str | None:
    """The column (``error:exports``...) that best explains a content-based pick."""
    best, best_value = None, 0.0
    for key in feature_keys:
        for kind, weight in context.interest.get(key, {}).items():
            value = CONTENT_KIND_WEIGHTS[kind] * math.log1p(weight)
            if value > best_value:
                best, best_value = f"{kind}:{key}", value
    return best
