"""Progress services: lesson signals for the recommender, translations, path completion,
progress kept through a merge of customers."""

from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import Locale

from education.customers.models import Customer
from education.events.models import UsageEvent
from education.events.profiles import customer_merge
from education.progress.models import LessonProgress, LessonStatus, PathEnrolment
from education.progress.services import (
    feedback_record,
    lesson_complete,
    path_enrol,
    quiz_answer,
)
from tests.api.conftest import customer_client
from tests.factories import CustomerFactory, LearningPathPageFactory, LessonPageFactory

pytestmark = pytest.mark.django_db


def _translate(page, language: str, title: str):
    translated = page.copy_for_translation(Locale.objects.get(language_code=language))
    translated.title = title
    translated.save_revision().publish()
    return translated


def test_customer_reads_the_translation_under_the_stable_id(workspace):
    lesson = LessonPageFactory(workspace=workspace, title="Send an invoice")
    french = _translate(lesson, "fr", "Envoyer une facture")
    CustomerFactory(workspace=workspace, external_id="marie", locale="fr-FR")
    body = customer_client(workspace, "marie").get(f"/api/v1/me/lessons/{lesson.pk}").json()
    assert body["id"] == lesson.pk != french.pk
    assert (body["title"], body["locale"]) == ("Envoyer une facture", "fr")
    # The translated page is not a lesson id of its own.
    response = customer_client(workspace, "marie").get(f"/api/v1/me/lessons/{french.pk}")
    assert response.status_code == 404


def test_quiz_in_a_translation_is_scored_and_stored_on_the_stable_lesson(workspace):
    lesson = LessonPageFactory(workspace=workspace)
    _translate(lesson, "fr", "Leçon")
    customer = CustomerFactory(workspace=workspace, locale="fr")
    block_id = next(block.id for block in lesson.body if block.block_type == "quiz")
    result = quiz_answer(customer=customer, lesson=lesson, block_id=block_id, answers=[0])
    assert result.correct and result.attempt.lesson_id == lesson.pk


def test_lesson_activity_becomes_lesson_signals(workspace):
    lesson = LessonPageFactory(workspace=workspace)
    customer = CustomerFactory(workspace=workspace)
    lesson_complete(customer=customer, lesson=lesson)
    feedback_record(customer=customer, lesson=lesson, helpful=False)
    feedback_record(customer=customer, lesson=lesson, comment="no rating, no signal")
    events = UsageEvent.objects.filter(customer=customer).order_by("id")
    assert [(e.name, e.signal, e.kind, e.weight) for e in events] == [
        ("Lesson Completed", f"lesson:{lesson.pk}", "lesson", 3.0),
        ("Lesson Rated Unhelpful", f"lesson:{lesson.pk}", "lesson", 0.25),
    ]
    assert all(e.workspace_id == workspace.pk for e in events)


def test_path_completes_only_when_every_live_lesson_is_done(workspace):
    first, second = LessonPageFactory(workspace=workspace), LessonPageFactory(workspace=workspace)
    path = LearningPathPageFactory(workspace=workspace, lessons=[first, second])
    customer = CustomerFactory(workspace=workspace)
    path_enrol(customer=customer, path_id=path.pk)
    enrolment = PathEnrolment.objects.get(customer=customer, path=path)
    lesson_complete(customer=customer, lesson=first)
    enrolment.refresh_from_db()
    assert enrolment.completed_at is None
    lesson_complete(customer=customer, lesson=second)
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None


def test_unpublished_step_does_not_block_completion(workspace):
    first, second = LessonPageFactory(workspace=workspace), LessonPageFactory(workspace=workspace)
    path = LearningPathPageFactory(workspace=workspace, lessons=[first, second])
    second.unpublish()
    customer = CustomerFactory(workspace=workspace)
    path_enrol(customer=customer, path_id=path.pk)
    lesson_complete(customer=customer, lesson=first)
    assert PathEnrolment.objects.get(customer=customer).completed_at is not None


def test_paths_not_followed_are_not_completed(workspace):
    lesson = LessonPageFactory(workspace=workspace)
    LearningPathPageFactory(workspace=workspace, lessons=[lesson])
    customer = CustomerFactory(workspace=workspace)
    lesson_complete(customer=customer, lesson=lesson)
    assert not PathEnrolment.objects.exists()


def test_a_merge_keeps_the_furthest_progress_of_both_customers(workspace):
    lessons = [LessonPageFactory(workspace=workspace) for _ in range(3)]
    path = LearningPathPageFactory(workspace=workspace, lessons=lessons)
    known = CustomerFactory(workspace=workspace, external_id="u1")
    visitor = CustomerFactory(workspace=workspace, external_id="anon-1", is_anonymous=True)
    earlier, later = timezone.now() - timedelta(days=2), timezone.now() - timedelta(days=1)
    done = {"status": LessonStatus.COMPLETED, "completed_at": later}
    LessonProgress.objects.create(customer=known, lesson=lessons[0], started_at=later)
    LessonProgress.objects.create(customer=visitor, lesson=lessons[0], started_at=earlier, **done)
    LessonProgress.objects.create(customer=known, lesson=lessons[1], started_at=earlier, **done)
    LessonProgress.objects.create(customer=visitor, lesson=lessons[1], started_at=later)
    LessonProgress.objects.create(customer=visitor, lesson=lessons[2], started_at=later)
    PathEnrolment.objects.create(customer=known, path_id=path.pk, started_at=later)
    PathEnrolment.objects.create(
        customer=visitor, path_id=path.pk, started_at=earlier, completed_at=later
    )

    # What an alias call (previousId anon-1, userId u1) runs.
    customer_merge(workspace_id=workspace.pk, source_external_id="anon-1", target_external_id="u1")

    assert list(Customer.objects.filter(workspace=workspace)) == [known]
    progress = {row.lesson_id: row for row in LessonProgress.objects.filter(customer=known)}
    assert {pk: row.status for pk, row in progress.items()} == {
        lessons[0].pk: LessonStatus.COMPLETED,  # the visitor completed it
        lessons[1].pk: LessonStatus.COMPLETED,  # not undone by the visitor's mere start
        lessons[2].pk: LessonStatus.STARTED,  # only the visitor's: moved over
    }
    assert progress[lessons[0].pk].started_at == earlier
    assert progress[lessons[0].pk].completed_at == later
    enrolment = PathEnrolment.objects.get(customer=known)
    assert (enrolment.started_at, enrolment.completed_at) == (earlier, later)
