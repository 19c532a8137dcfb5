"""How lessons perform and where learners leave a path, for the authors' reports.

Each report is computed from a fixed handful of queries over all the lessons asked about
(never one query per lesson). Counts that SQL groups well (quiz answers, feedback) are
aggregated in the database; the ticket comparison needs each customer's dates, so it runs
in Python on compact rows (a customer, a feature, a timestamp).

Lessons are reported under their page in the default locale; progress, answers, feedback
and events recorded against a translation count for that page.

Tickets before/after
--------------------
For a lesson about features F, a *learner* is a customer who completed it; their reference
date is the completion. Support tickets on F are counted in the 30 days before and the 30
days after it. The *comparison group* is the workspace's other customers who use F and
never completed the lesson; their reference date is the same point in their use of F as a
typical learner's: their first activity on F plus the learners' median time from first
activity to completion. Only customers whose two windows both lie inside the recorded
data are measured, so a recent completion is not mistaken for a quiet month. Then

    change = (tickets after − tickets before) / customers measured, for each group
    tickets saved per 100 learners = (comparison change − learner change) × 100

A positive figure means learners opened fewer tickets than similar customers who did not
take the lesson, relative to where each group started.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, Min, Q, QuerySet, Sum
from django.utils import timezone
from wagtail.models import Locale, Page

from cms.models import LearningHubPage, LearningPathPage, LessonPage, PathStep
from education.events.models import SignalKind, UsageEvent
from education.progress.models import (
    LessonFeedback,
    LessonProgress,
    LessonStatus,
    PathEnrolment,
    QuizAttempt,
)
from education.workspaces.models import Workspace

TICKET_WINDOW = timedelta(days=30)
_ACTIVITY_KINDS = [SignalKind.USED, SignalKind.ERROR, SignalKind.TICKET]


@dataclass
class TicketComparison:
    """Support tickets on a lesson's features around the reference date of each group."""

    learners: int = 0
    learner_tickets_before: int = 0
    learner_tickets_after: int = 0
    comparison_customers: int = 0
    comparison_tickets_before: int = 0
    comparison_tickets_after: int = 0
    # The matched point in a customer's use of the features (learners' median), in days.
    reference_offset_days: float | None = None

    @property
    def learner_change(self) -> float | None:
        """Tickets per learner after minus before."""
        if not self.learners:
            return None
        return (self.learner_tickets_after - self.learner_tickets_before) / self.learners

    @property
    def comparison_change(self) -> float | None:
        if not self.comparison_customers:
            return None
        return (
            self.comparison_tickets_after - self.comparison_tickets_before
        ) / self.comparison_customers

    @property
    def saved_per_100_learners(self) -> float | None:
        if self.learner_change is None or self.comparison_change is None:
            return None
        return (self.comparison_change - self.learner_change) * 100

    def per_100(self, tickets: int, customers: int) -> float | None:
        return tickets * 100 / customers if customers else None


@dataclass
class LessonPerformance:
    """One lesson's figures; rates are fractions (0..1), None when nothing was measured."""

    lesson: LessonPage
    workspace: Workspace
    feature_names: list[str] = field(default_factory=list)
    views: int = 0
    completions: int = 0
    quiz_answers: int = 0
    quiz_correct: int = 0
    quiz_takers: int = 0
    helpful_votes: int = 0
    helpful_yes: int = 0
    effort_ratings: int = 0
    effort_total: int = 0
    feedback_givers: int = 0
    tickets: TicketComparison = field(default_factory=TicketComparison)

    @property
    def title(self) -> str:
        return self.lesson.title

    @property
    def workspace_name(self) -> str:
        return self.workspace.name

    @property
    def completion_rate(self) -> float | None:
        return self.completions / self.views if self.views else None

    @property
    def quiz_pass_rate(self) -> float | None:
        """Share of first answers to the lesson's quiz questions that were right."""
        return self.quiz_correct / self.quiz_answers if self.quiz_answers else None

    @property
    def helpful_rate(self) -> float | None:
        return self.helpful_yes / self.helpful_votes if self.helpful_votes else None

    @property
    def effort_average(self) -> float | None:
        """Customer effort score, 1 (very easy) to 7 (very hard)."""
        return self.effort_total / self.effort_ratings if self.effort_ratings else None

    @property
    def tickets_saved(self) -> float | None:
        return self.tickets.saved_per_100_learners


@dataclass
class StepReach:
    position: int
    lesson_id: int
    title: str
    completed: int  # completed this step's lesson
    completed_so_far: int  # completed this step and every step before it


@dataclass
class PathDropoff:
    path: LearningPathPage
    workspace: Workspace
    learners: int  # enrolled in the path or took any of its lessons
    steps: list[StepReach]
    finished: int

    @property
    def title(self) -> str:
        return self.path.title

    @property
    def biggest_drop(self) -> StepReach | None:
        """The step after which the most learners stopped (of those who got that far)."""
        best, best_loss, reached = None, 0, self.learners
        for step in self.steps:
            loss = reached - step.completed_so_far
            if loss > best_loss:
                best, best_loss = step, loss
            reached = step.completed_so_far
        return best


# --- Scope -------------------------------------------------------------------------------


@dataclass
class _Scope:
    """The lessons asked about, their translations and the workspace of each."""

    workspaces: dict[int, Workspace]
    lessons: list[LessonPage]  # default locale, in tree order
    stable_ids: dict[int, int]  # any page id (translations too) -> default-locale page id
    workspace_of: dict[int, int]  # default-locale page id -> workspace id


def _hub_paths(workspaces: dict[int, Workspace]) -> list[tuple[str, int]]:
    return list(
        LearningHubPage.objects.filter(workspace_id__in=workspaces).values_list(
            "path", "workspace_id"
        )
    )


def _under(hub_paths: list[tuple[str, int]]) -> Q:
    condition = Q(pk__in=[])
    for path, _workspace_id in hub_paths:
        condition |= Q(path__startswith=path)
    return condition


def _workspace_for(path: str, hub_paths: list[tuple[str, int]]) -> int | None:
    return next((ws for hub, ws in hub_paths if path.startswith(hub)), None)


def _lesson_scope(workspaces: Iterable[Workspace], lesson_ids: Iterable[int] | None) -> _Scope:
    by_id = {workspace.pk: workspace for workspace in workspaces}
    hubs = _hub_paths(by_id)
    default_locale_id = Locale.get_default().pk
    pages = list(
        LessonPage.objects.filter(_under(hubs))
        .only("id", "title", "path", "locale_id", "translation_key", "live", "slug", "depth")
        .order_by("path")
    )
    lessons = [page for page in pages if page.locale_id == default_locale_id]
    if lesson_ids is not None:
        wanted = set(lesson_ids)
        lessons = [lesson for lesson in lessons if lesson.pk in wanted]
    by_key = {lesson.translation_key: lesson.pk for lesson in lessons}
    stable_ids = {
        page.pk: by_key[page.translation_key] for page in pages if page.translation_key in by_key
    }
    workspace_of = {lesson.pk: _workspace_for(lesson.path, hubs) for lesson in lessons}
    return _Scope(by_id, lessons, stable_ids, workspace_of)


# --- Lesson performance ------------------------------------------------------------------


def lesson_performance(
    *,
    workspaces: Iterable[Workspace],
    lesson_ids: Iterable[int] | None = None,
    now: datetime | None = None,
) -> list[LessonPerformance]:
    """Figures for every lesson of ``workspaces`` (or only ``lesson_ids``), in tree order."""
    now = now or timezone.now()
    scope = _lesson_scope(workspaces, lesson_ids)
    rows = {
        lesson.pk: LessonPerformance(
            lesson=lesson, workspace=scope.workspaces[scope.workspace_of[lesson.pk]]
        )
        for lesson in scope.lessons
    }
    if not rows:
        return []
    page_ids = list(scope.stable_ids)

    features = _lesson_features(rows)
    for lesson_id, keys in features.items():
        rows[lesson_id].feature_names = [name for _key, name in keys]

    viewers: dict[int, set[int]] = defaultdict(set)
    completions: dict[int, dict[int, datetime]] = defaultdict(dict)
    for customer_id, page_id, status, completed_at in LessonProgress.objects.filter(
        lesson_id__in=page_ids
    ).values_list("customer_id", "lesson_id", "status", "completed_at"):
        lesson_id = scope.stable_ids[page_id]
        viewers[lesson_id].add(customer_id)
        if status == LessonStatus.COMPLETED and completed_at is not None:
            previous = completions[lesson_id].get(customer_id)
            if previous is None or completed_at < previous:
                completions[lesson_id][customer_id] = completed_at
    signals = {f"lesson:{page_id}": page_id for page_id in page_ids}
    for signal, customer_id in (
        UsageEvent.objects.filter(
            workspace_id__in=scope.workspaces,
            kind=SignalKind.LESSON,
            name="Lesson Viewed",
            signal__in=list(signals),
        )
        .values_list("signal", "customer_id")
        .distinct()
    ):
        viewers[scope.stable_ids[signals[signal]]].add(customer_id)

    first_attempts = (
        QuizAttempt.objects.filter(lesson_id__in=page_ids)
        .values("customer_id", "lesson_id", "block_id")
        .annotate(first_id=Min("id"))
        .values("first_id")
    )
    for quiz in (
        QuizAttempt.objects.filter(id__in=first_attempts)
        .values("lesson_id")
        .annotate(
            answers=Count("id"),
            correct=Count("id", filter=Q(is_correct=True)),
            takers=Count("customer_id", distinct=True),
        )
        .order_by()
    ):
        row = rows[scope.stable_ids[quiz["lesson_id"]]]
        row.quiz_answers += quiz["answers"]
        row.quiz_correct += quiz["correct"]
        row.quiz_takers += quiz["takers"]

    for feedback in (
        LessonFeedback.objects.filter(lesson_id__in=page_ids)
        .values("lesson_id")
        .annotate(
            givers=Count("id"),
            votes=Count("id", filter=Q(helpful__isnull=False)),
            yes=Count("id", filter=Q(helpful=True)),
            ratings=Count("id", filter=Q(effort_score__isnull=False)),
            effort=Sum("effort_score"),
        )
        .order_by()
    ):
        row = rows[scope.stable_ids[feedback["lesson_id"]]]
        row.feedback_givers += feedback["givers"]
        row.helpful_votes += feedback["votes"]
        row.helpful_yes += feedback["yes"]
        row.effort_ratings += feedback["ratings"]
        row.effort_total += feedback["effort"] or 0

    for lesson_id, row in rows.items():
        row.views = len(viewers[lesson_id])
        row.completions = len(completions[lesson_id])

    tickets = _ticket_comparisons(
        lessons={
            lesson_id: (scope.workspace_of[lesson_id], {key for key, _name in keys})
            for lesson_id, keys in features.items()
        },
        completions=completions,
        now=now,
    )
    for lesson_id, comparison in tickets.items():
        rows[lesson_id].tickets = comparison
    return list(rows.values())


def _lesson_features(rows: dict[int, LessonPerformance]) -> dict[int, list[tuple[str, str]]]:
    """Default-locale lesson id -> [(feature key, feature name)]."""
    through = LessonPage.features.through
    features: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for lesson_id, key, name in (
        through.objects.filter(lessonpage_id__in=list(rows))
        .values_list("lessonpage_id", "productfeature__key", "productfeature__name")
        .order_by("productfeature__name")
    ):
        features[lesson_id].append((key, name))
    return features


def _ticket_comparisons(
    *,
    lessons: dict[int, tuple[int, set[str]]],
    completions: dict[int, dict[int, datetime]],
    now: datetime,
) -> dict[int, TicketComparison]:
    """Tickets before/after for learners and the comparison group of each lesson.

    ``lessons``: lesson id -> (workspace id, feature keys); ``completions``: lesson id ->
    {customer id: completed at}. Two queries for all lessons together.
    """
    lessons = {lesson_id: spec for lesson_id, spec in lessons.items() if spec[1]}
    if not lessons:
        return {}
    workspace_ids = {workspace_id for workspace_id, _keys in lessons.values()}
    keys = set().union(*(keys for _ws, keys in lessons.values()))

    # First activity of each customer on each feature; the earliest per workspace is where
    # its recorded data begins.
    first_use: dict[tuple[int, str], dict[int, datetime]] = defaultdict(dict)
    data_start: dict[int, datetime] = {}
    for workspace_id, customer_id, key, first in (
        UsageEvent.objects.filter(
            workspace_id__in=workspace_ids, kind__in=_ACTIVITY_KINDS, feature_key__in=keys
        )
        .values("workspace_id", "customer_id", "feature_key")
        .annotate(first=Min("timestamp"))
        .values_list("workspace_id", "customer_id", "feature_key", "first")
        .order_by()
    ):
        first_use[workspace_id, key][customer_id] = first
        if workspace_id not in data_start or first < data_start[workspace_id]:
            data_start[workspace_id] = first

    tickets: dict[int, list[tuple[str, datetime]]] = defaultdict(list)
    for customer_id, key, timestamp in UsageEvent.objects.filter(
        workspace_id__in=workspace_ids, kind=SignalKind.TICKET, feature_key__in=keys
    ).values_list("customer_id", "feature_key", "timestamp"):
        tickets[customer_id].append((key, timestamp))

    def count(customer_id: int, features: set[str], reference: datetime) -> tuple[int, int]:
        before = after = 0
        for key, timestamp in tickets.get(customer_id, ()):
            if key not in features:
                continue
            if reference - TICKET_WINDOW <= timestamp < reference:
                before += 1
            elif reference <= timestamp < reference + TICKET_WINDOW:
                after += 1
        return before, after

    results = {}
    for lesson_id, (workspace_id, features) in lessons.items():
        start = data_start.get(workspace_id)
        if start is None:
            results[lesson_id] = TicketComparison()
            continue

        def measurable(reference: datetime, start=start) -> bool:
            return reference - TICKET_WINDOW >= start and reference + TICKET_WINDOW <= now

        first_on_features: dict[int, datetime] = {}
        for key in features:
            for customer_id, first in first_use.get((workspace_id, key), {}).items():
                if customer_id not in first_on_features or first < first_on_features[customer_id]:
                    first_on_features[customer_id] = first

        result = TicketComparison()
        learners = completions.get(lesson_id, {})
        offsets = []
        for customer_id, completed_at in learners.items():
            if customer_id in first_on_features:
                offsets.append((completed_at - first_on_features[customer_id]).total_seconds())
            if not measurable(completed_at):
                continue
            before, after = count(customer_id, features, completed_at)
            result.learners += 1
            result.learner_tickets_before += before
            result.learner_tickets_after += after
        offset = timedelta(seconds=statistics.median(offsets)) if offsets else timedelta(0)
        result.reference_offset_days = offset.total_seconds() / 86400 if offsets else None

        for customer_id, first in first_on_features.items():
            if customer_id in learners:
                continue
            reference = first + offset
            if not measurable(reference):
                continue
            before, after = count(customer_id, features, reference)
            result.comparison_customers += 1
            result.comparison_tickets_before += before
            result.comparison_tickets_after += after
        results[lesson_id] = result
    return results


def lesson_funnel(rows: Iterable[LessonPerformance]) -> list[tuple[str, int]]:
    """Customer-lesson pairs at each stage, summed over ``rows``."""
    rows = list(rows)
    return [
        ("Viewed", sum(row.views for row in rows)),
        ("Completed", sum(row.completions for row in rows)),
        ("Answered the quiz", sum(row.quiz_takers for row in rows)),
        ("Gave feedback", sum(row.feedback_givers for row in rows)),
    ]


def lesson_feedback_comments(*, lesson: LessonPage, limit: int = 10) -> QuerySet[LessonFeedback]:
    """The newest written comments on ``lesson`` and its translations."""
    pages = Page.objects.filter(translation_key=lesson.translation_key).values("pk")
    return (
        LessonFeedback.objects.filter(lesson_id__in=pages)
        .exclude(comment="")
        .order_by("-updated_at")[:limit]
    )


# --- Path drop-off -----------------------------------------------------------------------


def path_dropoff(*, workspaces: Iterable[Workspace]) -> list[PathDropoff]:
    """For each learning path (default locale) of ``workspaces``: who got how far."""
    by_id = {workspace.pk: workspace for workspace in workspaces}
    hubs = _hub_paths(by_id)
    paths = list(
        LearningPathPage.objects.filter(_under(hubs), locale_id=Locale.get_default().pk)
        .only("id", "title", "path", "live", "depth", "slug", "locale_id")
        .order_by("path")
    )
    if not paths:
        return []
    steps = list(
        PathStep.objects.filter(path__in=paths)
        .select_related("lesson")
        .only("path_id", "sort_order", "lesson__title", "lesson__translation_key")
        .order_by("path_id", "sort_order", "pk")
    )
    # Progress is recorded against a lesson's default-locale page and any translation.
    keys = {step.lesson.translation_key for step in steps}
    key_of = dict(
        LessonPage.objects.filter(translation_key__in=keys).values_list("pk", "translation_key")
    )
    completed: dict[object, set[int]] = defaultdict(set)
    learners_by_key: dict[object, set[int]] = defaultdict(set)
    for customer_id, page_id, status in LessonProgress.objects.filter(
        lesson_id__in=list(key_of)
    ).values_list("customer_id", "lesson_id", "status"):
        learners_by_key[key_of[page_id]].add(customer_id)
        if status == LessonStatus.COMPLETED:
            completed[key_of[page_id]].add(customer_id)
    enrolled: dict[int, set[int]] = defaultdict(set)
    for path_id, customer_id in PathEnrolment.objects.filter(path__in=paths).values_list(
        "path_id", "customer_id"
    ):
        enrolled[path_id].add(customer_id)

    steps_of: dict[int, list[PathStep]] = defaultdict(list)
    for step in steps:
        steps_of[step.path_id].append(step)
    results = []
    for path in paths:
        learners = set(enrolled[path.pk])
        for step in steps_of[path.pk]:
            learners |= learners_by_key[step.lesson.translation_key]
        reached = set(learners)
        reaches = []
        for position, step in enumerate(steps_of[path.pk], start=1):
            done = completed[step.lesson.translation_key] & learners
            reached &= done
            reaches.append(
                StepReach(position, step.lesson_id, step.lesson.title, len(done), len(reached))
            )
        results.append(
            PathDropoff(
                path=path,
                workspace=by_id[_workspace_for(path.path, hubs)],
                learners=len(learners),
                steps=reaches,
                finished=len(reached) if reaches else 0,
            )
        )
    return results
