"""Reads about a customer's progress."""

from education.customers.models import Customer
from education.progress.models import LessonProgress, LessonStatus


def completed_lesson_ids(*, customer: Customer) -> set[int]:
    return set(
        LessonProgress.objects.filter(customer=customer, status=LessonStatus.COMPLETED).values_list(
            "lesson_id", flat=True
        )
    )


def started_lesson_ids(*, customer: Customer) -> set[int]:
    return set(LessonProgress.objects.filter(customer=customer).values_list("lesson_id", flat=True))
