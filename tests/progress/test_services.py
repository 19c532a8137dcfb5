"""Progress services: lesson signals for the recommender, translations, path completion."""

import pytest
from wagtail.models import Locale

from education.events.models import UsageEvent
from education.progress.models import PathEnrolment
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
