"""What customers did with lessons: progress, quiz attempts and feedback.

Lessons are referenced by their page in the workspace's default locale (translations
share it), so progress survives a customer switching language.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.timezone import now

from cms.models import LearningPathPage, LessonPage
from education.customers.models import Customer


class LessonStatus(models.TextChoices):
    STARTED = "started", "Started"
    COMPLETED = "completed", "Completed"


class LessonProgress(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="lesson_progress")
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(
        max_length=10, choices=LessonStatus.choices, default=LessonStatus.STARTED
    )
    started_at = models.DateTimeField(default=now)
    completed_at = models.DateTimeField(null=True, blank=True)
    channel = models.CharField(max_length=20, default="widget")

    class Meta:
        verbose_name_plural = "lesson progress"
        constraints = [
            models.UniqueConstraint(fields=["customer", "lesson"], name="progress_unique_lesson")
        ]


class QuizAttempt(models.Model):
    """One answer to one quiz block (``block_id`` is the StreamField block's id)."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="quiz_attempts")
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="+")
    block_id = models.CharField(max_length=64)
    answers = models.JSONField(default=list)
    is_correct = models.BooleanField()
    score = models.FloatField(validators=[MinValueValidator(0.0), MaxValueValidator(1.0)])
    created_at = models.DateTimeField(default=now)

    class Meta:
        indexes = [models.Index(fields=["lesson", "block_id"])]


class LessonFeedback(models.Model):
    """ "Was this helpful?" and the Customer Effort Score (1 very easy – 7 very hard)."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="lesson_feedback")
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="+")
    helpful = models.BooleanField(null=True, blank=True)
    effort_score = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(7)]
    )
    comment = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["customer", "lesson"], name="feedback_unique_lesson")
        ]


class PathEnrolment(models.Model):
    """The authored path a customer follows (chosen by the recommender or by them)."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="path_enrolments")
    path = models.ForeignKey(LearningPathPage, on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField(default=now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["customer", "path"], name="enrolment_unique_path")
        ]


class PinnedLesson(models.Model):
    """A lesson put first in a customer's widget, e.g. by a triggered email."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="pinned_lessons")
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=200)
    pinned_at = models.DateTimeField(default=now)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["customer", "lesson"], name="pin_unique_lesson")
        ]
