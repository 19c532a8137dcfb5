"""Writes about what customers do with lessons: progress, quizzes, feedback, help.

Each write also records a usage event on the lesson's signal (``lesson:<id>``), so the
recommender learns from lesson activity as it does from product usage, and fires the
webhooks the workspace subscribed to (sent after the transaction commits).
"""

import uuid
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from cms.models import LearningPathPage, LessonPage
from education.customers.models import Customer
from education.errors import ApplicationError
from education.events.models import SignalKind, UsageEvent
from education.progress.models import (
    LessonFeedback,
    LessonProgress,
    LessonStatus,
    PathEnrolment,
    QuizAttempt,
)
from education.progress.selectors import (
    completed_lesson_ids,
    customer_language,
    page_translation,
    path_lesson_ids,
    recent_progress,
    recent_struggles,
)
from education.webhooks.models import WebhookEvent
from education.webhooks.services import webhook_event_emit

# How much each lesson activity counts in the recommender's matrix (product usage is 1).
LESSON_SIGNAL_WEIGHTS = {
    "Lesson Viewed": 1.0,
    "Lesson Completed": 3.0,
    "Quiz Answered": 0.5,
    "Lesson Rated Helpful": 1.0,
    "Lesson Rated Unhelpful": 0.25,
    "Lesson Help Requested": 0.5,
}
_UNSET: Any = object()


def _lesson_signal_record(
    *, customer: Customer, lesson: LessonPage, name: str, properties: dict[str, Any]
) -> UsageEvent:
    return UsageEvent.objects.create(
        workspace_id=customer.workspace_id,
        customer=customer,
        message_id=f"waypoint-{uuid.uuid4()}",
        name=name,
        kind=SignalKind.LESSON,
        signal=f"lesson:{lesson.pk}",
        weight=LESSON_SIGNAL_WEIGHTS[name],
        timestamp=timezone.now(),
        properties={"lesson_id": lesson.pk, **properties},
    )


def _customer_reference(customer: Customer) -> dict[str, Any]:
    return {"id": customer.external_id}


def progress_combine(*, source: Customer, target: Customer) -> None:
    """Before ``source`` is merged into ``target``: where both followed the same lesson or
    path, ``target``'s row takes the furthest progress of the two (completed by either is
    completed; started when the first started). The rest of ``source``'s rows then move."""
    for model, key in ((LessonProgress, "lesson_id"), (PathEnrolment, "path_id")):
        theirs = {getattr(row, key): row for row in model.objects.filter(customer=source)}
        for row in model.objects.filter(customer=target, **{f"{key}__in": list(theirs)}):
            other = theirs[getattr(row, key)]
            started_earlier = other.started_at < row.started_at
            completed_only_there = row.completed_at is None and other.completed_at is not None
            if not (started_earlier or completed_only_there):
                continue
            row.started_at = min(row.started_at, other.started_at)
            if completed_only_there:
                row.completed_at = other.completed_at
                if model is LessonProgress:
                    row.status = LessonStatus.COMPLETED
            row.save()


@transaction.atomic
def lesson_start(
    *, customer: Customer, lesson: LessonPage, channel: str = "widget"
) -> LessonProgress:
    """Mark a lesson started (a no-op when it already is, or is completed)."""
    progress, created = LessonProgress.objects.get_or_create(
        customer=customer, lesson=lesson, defaults={"channel": channel}
    )
    if created:
        _lesson_signal_record(
            customer=customer, lesson=lesson, name="Lesson Viewed", properties={"channel": channel}
        )
    return progress


@transaction.atomic
def lesson_complete(
    *, customer: Customer, lesson: LessonPage, channel: str = "widget"
) -> LessonProgress:
    """Mark a lesson completed. Idempotent: a second call changes and sends nothing."""
    progress, _ = LessonProgress.objects.select_for_update().get_or_create(
        customer=customer, lesson=lesson, defaults={"channel": channel}
    )
    if progress.status == LessonStatus.COMPLETED:
        return progress
    progress.status = LessonStatus.COMPLETED
    progress.completed_at = timezone.now()
    progress.save(update_fields=["status", "completed_at"])
    _lesson_signal_record(
        customer=customer, lesson=lesson, name="Lesson Completed", properties={"channel": channel}
    )
    webhook_event_emit(
        workspace=customer.workspace,
        event=WebhookEvent.LESSON_COMPLETED,
        customer=customer,
        data={
            "customer": _customer_reference(customer),
            "lesson": {"id": lesson.pk, "title": lesson.title},
            "completed_at": progress.completed_at.isoformat(),
        },
    )
    _paths_complete(customer=customer, lesson=lesson, at=progress.completed_at)
    return progress


def _paths_complete(*, customer: Customer, lesson: LessonPage, at) -> None:
    """Close every enrolled path this completion finishes, and say so by webhook."""
    enrolments = PathEnrolment.objects.filter(
        customer=customer, completed_at__isnull=True
    ).select_related("path")
    if not enrolments:
        return
    completed = completed_lesson_ids(customer=customer)
    for enrolment in enrolments:
        lesson_ids = path_lesson_ids(path=enrolment.path)
        if lesson.pk not in lesson_ids or not set(lesson_ids) <= completed:
            continue
        enrolment.completed_at = at
        enrolment.save(update_fields=["completed_at"])
        webhook_event_emit(
            workspace=customer.workspace,
            event=WebhookEvent.PATH_COMPLETED,
            customer=customer,
            data={
                "customer": _customer_reference(customer),
                "path": {"id": enrolment.path_id, "title": enrolment.path.title},
                "lessons": lesson_ids,
                "completed_at": at.isoformat(),
            },
        )


def path_enrol(*, customer: Customer, path_id: int) -> None:
    """Follow an authored path (kept until it is completed). Idempotent.

    Called whenever a customer's path document is built: one ``INSERT ... ON CONFLICT DO
    NOTHING``. It sends no signal on purpose: the document that enrols the customer already
    shows this path, so their cached documents stay valid (see ``recommender.freshness``).
    """
    PathEnrolment.objects.bulk_create(
        [PathEnrolment(customer=customer, path_id=path_id)], ignore_conflicts=True
    )


@dataclass(frozen=True)
class QuizResult:
    attempt: QuizAttempt
    correct: bool
    score: float
    correct_answers: list[int]
    explanation: str


def quiz_block_find(page: LessonPage, block_id: str):
    for block in page.body:
        if block.block_type == "quiz" and block.id == block_id:
            return block
    return None


@transaction.atomic
def quiz_answer(
    *, customer: Customer, lesson: LessonPage, block_id: str, answers: list[int]
) -> QuizResult:
    """Score an answer on the server and keep the attempt.

    A question with several right choices gives partial credit: right picks minus wrong
    picks, over the number of right choices (never below 0).
    """
    page = page_translation(lesson, customer_language(customer))
    block = quiz_block_find(page, block_id) or quiz_block_find(lesson, block_id)
    if block is None:
        raise ApplicationError(
            "No quiz with this id in the lesson.", code="quiz_not_found", status_code=404
        )
    choices = list(block.value["choices"])
    chosen = set(answers)
    if not chosen or len(chosen) != len(answers) or not all(0 <= i < len(choices) for i in chosen):
        raise ApplicationError(
            f"Answer with distinct choice indexes between 0 and {len(choices) - 1}.",
            code="invalid_answers",
        )
    right = {i for i, choice in enumerate(choices) if choice["correct"]}
    correct = chosen == right
    score = 1.0 if correct else max(0.0, (len(chosen & right) - len(chosen - right)) / len(right))
    attempt = QuizAttempt.objects.create(
        customer=customer,
        lesson=lesson,
        block_id=block_id,
        answers=sorted(chosen),
        is_correct=correct,
        score=score,
    )
    _lesson_signal_record(
        customer=customer,
        lesson=lesson,
        name="Quiz Answered",
        properties={"block_id": block_id, "correct": correct, "score": score},
    )
    return QuizResult(
        attempt=attempt,
        correct=correct,
        score=score,
        correct_answers=sorted(right),
        explanation=block.value["explanation"],
    )


@transaction.atomic
def feedback_record(
    *,
    customer: Customer,
    lesson: LessonPage,
    helpful: bool | None = _UNSET,
    effort_score: int | None = _UNSET,
    comment: str = _UNSET,
) -> LessonFeedback:
    """Create or update the customer's feedback on a lesson; omitted fields are kept."""
    feedback, _ = LessonFeedback.objects.select_for_update().get_or_create(
        customer=customer, lesson=lesson
    )
    if helpful is not _UNSET:
        feedback.helpful = helpful
    if effort_score is not _UNSET:
        if effort_score is not None and not 1 <= effort_score <= 7:
            raise ApplicationError("effort_score goes from 1 to 7.", code="invalid_request")
        feedback.effort_score = effort_score
    if comment is not _UNSET:
        feedback.comment = (comment or "")[:2000]
    feedback.save()
    if helpful is not _UNSET and helpful is not None:
        _lesson_signal_record(
            customer=customer,
            lesson=lesson,
            name="Lesson Rated Helpful" if helpful else "Lesson Rated Unhelpful",
            properties={"effort_score": feedback.effort_score},
        )
    return feedback


def help_context(
    *,
    customer: Customer,
    lesson: LessonPage,
    path: LearningPathPage | None,
    message: str,
    lesson_url: str,
) -> dict[str, Any]:
    """What support needs to help: who, where they are stuck, what they did and hit."""
    account = customer.account
    return {
        "customer": {
            "id": customer.external_id,
            "email": customer.email,
            "name": customer.name,
            "plan": customer.plan,
            "account": (
                {"id": account.external_id, "name": account.name, "plan": account.plan}
                if account
                else None
            ),
        },
        "message": message,
        "lesson": {"id": lesson.pk, "title": lesson.title, "url": lesson_url},
        "path": {"id": path.pk, "title": path.title} if path else None,
        "recent_lessons": [
            {
                "lesson_id": progress.lesson_id,
                "title": progress.lesson.title,
                "status": progress.status,
                "started_at": progress.started_at.isoformat(),
                "completed_at": progress.completed_at.isoformat()
                if progress.completed_at
                else None,
            }
            for progress in recent_progress(customer=customer)
        ],
        "recent_errors": [
            {
                "name": event.name,
                "kind": event.kind,
                "feature_key": event.feature_key,
                "timestamp": event.timestamp.isoformat(),
                "properties": event.properties,
            }
            for event in recent_struggles(customer=customer)
        ],
        "requested_at": timezone.now().isoformat(),
    }


@transaction.atomic
def help_request(
    *,
    customer: Customer,
    lesson: LessonPage,
    path: LearningPathPage | None = None,
    message: str = "",
    lesson_url: str = "",
) -> dict[str, Any]:
    """A customer still stuck after a lesson: hand the context to the product's support."""
    context = help_context(
        customer=customer, lesson=lesson, path=path, message=message, lesson_url=lesson_url
    )
    _lesson_signal_record(
        customer=customer, lesson=lesson, name="Lesson Help Requested", properties={}
    )
    webhook_event_emit(
        workspace=customer.workspace,
        event=WebhookEvent.HELP_REQUESTED,
        customer=customer,
        data=context,
    )
    return context
