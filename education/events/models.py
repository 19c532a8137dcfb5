"""Accepted usage events and the payloads that failed validation."""

from django.db import models
from django.utils.timezone import now

from education.customers.models import Customer
from education.workspaces.models import Workspace


class SignalKind(models.TextChoices):
    USED = "used", "Feature used"
    ERROR = "error", "Error seen"
    TICKET = "ticket", "Support ticket"
    LESSON = "lesson", "Lesson activity"


class UsageEvent(models.Model):
    """One accepted track/page/screen event, mapped to a usage signal.

    ``signal`` is the recommender's column key: ``lesson:<lesson id>`` for lesson activity,
    ``<kind>:<feature key>`` for mapped product signals, ``event:<name>`` for unmapped
    event names (they still count as their own signal).

    Signals come from the workspace's event mappings first, then the built-in names
    (``Lesson Viewed`` / ``Lesson Completed`` with a ``lesson`` page id give
    ``lesson:<id>``; ``Error Encountered`` / ``Support Ticket Opened`` with a ``feature``
    property give ``error:<feature>`` / ``ticket:<feature>``), else ``event:<name>``.
    ``page`` and ``screen`` calls are named ``Viewed <name> Page`` / ``Viewed <name> Screen``
    (``Loaded a Page`` / ``Loaded a Screen`` without a name). ``timestamp`` is corrected for
    the sender's clock skew; ``original_timestamp`` keeps the value that was sent.
    """

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="events")
    message_id = models.CharField(max_length=100)
    name = models.CharField(max_length=200)
    feature_key = models.CharField(max_length=80, blank=True)
    kind = models.CharField(max_length=10, choices=SignalKind.choices, default=SignalKind.USED)
    signal = models.CharField(max_length=255)
    weight = models.FloatField(default=1.0)
    timestamp = models.DateTimeField()
    received_at = models.DateTimeField(default=now)
    properties = models.JSONField(default=dict, blank=True)
    # The client's own clock reading, before skew correction (null when none was sent).
    original_timestamp = models.DateTimeField(null=True, blank=True)
    # The call's context (library, ip, locale...) with the batch-level context merged in.
    context = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "message_id"], name="event_unique_message")
        ]
        indexes = [
            models.Index(fields=["customer", "timestamp"]),
            models.Index(fields=["workspace", "timestamp"]),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.signal})"


class RejectedEvent(models.Model):
    """A payload that failed validation, kept with the reason: never silently dropped."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    message_id = models.CharField(max_length=200, blank=True)
    reason = models.CharField(max_length=500)
    payload = models.JSONField(null=True, blank=True)
    raw = models.TextField(blank=True, help_text="The payload as received when it was not JSON.")
    received_at = models.DateTimeField(default=now, db_index=True)

    class Meta:
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["workspace", "-received_at"])]

    def __str__(self) -> str:
        return self.reason
