from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model

from cms.models import LearningPathPage, LessonPage
from education.customers.models import Customer
from education.demo import content
from education.demo.seeding import seed_demo
from education.events.models import UsageEvent
from education.progress.models import LessonFeedback, LessonProgress, PathEnrolment, QuizAttempt

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 1, tzinfo=UTC)


def _counts() -> dict[str, int]:
    return {
        "lessons": LessonPage.objects.count(),
        "paths": LearningPathPage.objects.count(),
        "customers": Customer.objects.count(),
        "events": UsageEvent.objects.count(),
        "progress": LessonProgress.objects.count(),
        "users": get_user_model().objects.count(),
    }


def test_the_demo_is_complete_and_seeding_twice_changes_nothing():
    first = seed_demo(customers=25, now=NOW, report=lambda _line: None)
    counts = _counts()
    second = seed_demo(customers=25, now=NOW, report=lambda _line: None)

    assert _counts() == counts
    assert first.keys is not None and second.keys is None
    translated = sum(len(t["lessons"]) for t in content.TRANSLATIONS.values())
    assert counts["lessons"] == len(content.LESSONS) + translated
    assert LessonPage.objects.live().filter(locale__language_code="fr").count() == translated
    assert counts["customers"] == 25 and counts["events"] > 25 * 10
    assert get_user_model().objects.filter(username="admin", is_superuser=True).exists()
    # Reports have something to show: quiz answers, feedback and path enrolments.
    assert QuizAttempt.objects.exists() and LessonFeedback.objects.exists()
    assert PathEnrolment.objects.exists()


def test_demo_events_are_mapped_to_signals_through_ingestion():
    seed_demo(customers=10, now=NOW, report=lambda _line: None)

    signals = set(UsageEvent.objects.values_list("signal", flat=True))

    assert any(signal.startswith("used:") for signal in signals)
    assert any(signal.startswith("lesson:") for signal in signals)
    lesson_ids = {int(s.split(":")[1]) for s in signals if s.startswith("lesson:")}
    assert lesson_ids <= set(LessonPage.objects.values_list("pk", flat=True))
