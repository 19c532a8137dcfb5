"""Email: per-workspace settings, triggers authors define, and one row per message."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.timezone import now
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from cms.models import LessonPage, ProductFeature
from education.customers.models import Customer
from education.workspaces.models import Workspace

DIGEST_CAMPAIGN = "digest"
TRIGGER_CAMPAIGN_PREFIX = "trigger:"
# Triggered lessons go to a customer once per trigger, whatever happens afterwards.
TRIGGER_PERIOD = "once"

_TIMEZONE_PATTERN = re.compile(r"^[A-Za-z0-9_+\-/]{1,64}$")


def _validate_timezone(value: str) -> None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        if not _TIMEZONE_PATTERN.match(value):
            raise ValueError(value)
        ZoneInfo(value)
    except (ValueError, ZoneInfoNotFoundError) as error:
        raise ValidationError(f"Unknown time zone: {value}") from error


class WorkspaceEmailSettings(models.Model):
    """How often a workspace's customers hear from Waypoint by email."""

    workspace = models.OneToOneField(
        Workspace, on_delete=models.CASCADE, related_name="email_settings"
    )
    digest_enabled = models.BooleanField(default=True, help_text="Send the learning digest.")
    digest_frequency_days = models.PositiveSmallIntegerField(
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text="One digest per this many days (7: weekly, starting on Mondays).",
    )
    send_hour = models.PositiveSmallIntegerField(
        default=9,
        validators=[MaxValueValidator(23)],
        help_text="Hour of the day, in each customer's own time zone, when digests go out.",
    )
    default_timezone = models.CharField(
        max_length=64,
        default="UTC",
        validators=[_validate_timezone],
        help_text="For customers whose time zone is unknown.",
    )
    digest_lesson_count = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    frequency_cap_days = models.PositiveSmallIntegerField(
        default=1,
        validators=[MaxValueValidator(90)],
        help_text="At most one Waypoint email (digest or triggered) per this many days; "
        "0 for no cap.",
    )
    from_email = models.CharField(
        max_length=200,
        blank=True,
        help_text='Sender, e.g. "Ledgerly <learn@ledgerly.com>" (empty: the server default).',
    )

    panels = [
        FieldPanel("workspace"),
        MultiFieldPanel(
            [
                FieldPanel("digest_enabled"),
                FieldRowPanel([FieldPanel("digest_frequency_days"), FieldPanel("send_hour")]),
                FieldPanel("default_timezone"),
                FieldPanel("digest_lesson_count"),
            ],
            heading="Digest",
        ),
        FieldPanel("frequency_cap_days"),
        FieldPanel("from_email"),
    ]

    class Meta:
        verbose_name = "email settings"
        verbose_name_plural = "email settings"

    def __str__(self) -> str:
        return f"Email settings of {self.workspace}"


class TriggerKind(models.TextChoices):
    ERROR_THRESHOLD = "error_threshold", "Repeated errors on a feature"
    FIRST_USE = "first_use", "First use of a feature"
    SUPPORT_TICKET = "support_ticket", "Support ticket about a feature"


class EmailTrigger(models.Model):
    """Sends one lesson by email (and pins it in the widget) when usage says it would help."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=TriggerKind.choices)
    feature = models.ForeignKey(ProductFeature, on_delete=models.CASCADE, related_name="+")
    threshold = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text="Repeated errors: how many errors…",
    )
    window_hours = models.PositiveSmallIntegerField(
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 30)],
        help_text="…within how many hours.",
    )
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="+")
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=now)

    panels = [
        FieldPanel("workspace"),
        FieldPanel("name"),
        FieldPanel("kind"),
        FieldPanel("feature"),
        FieldRowPanel([FieldPanel("threshold"), FieldPanel("window_hours")]),
        FieldPanel("lesson"),
        FieldPanel("active"),
    ]

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["workspace", "active"])]

    def __str__(self) -> str:
        return self.name

    @property
    def campaign(self) -> str:
        return f"{TRIGGER_CAMPAIGN_PREFIX}{self.pk}"

    def clean(self) -> None:
        from cms.selectors import default_locale_code, lessons_live

        errors = {}
        if self.workspace_id and self.feature_id and self.feature.workspace_id != self.workspace_id:
            errors["feature"] = "Choose a feature of the same workspace."
        if self.workspace_id and self.lesson_id:
            # The lesson in the default language: customers get their own translation of it.
            live = lessons_live(workspace=self.workspace, locale=default_locale_code())
            if not live.filter(pk=self.lesson_id).exists():
                errors["lesson"] = "Choose a published lesson of the same workspace."
        if errors:
            raise ValidationError(errors)


class TriggerScanState(models.Model):
    """How far trigger evaluation has read a workspace's events."""

    workspace = models.OneToOneField(Workspace, on_delete=models.CASCADE, related_name="+")
    scanned_until = models.DateTimeField()


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    SUPPRESSED = "suppressed", "Suppressed"


class SuppressionReason(models.TextChoices):
    NO_EMAIL = "no_email", "No email address"
    NO_CONSENT = "no_consent", "No email consent"
    NO_PERSONALISATION = "no_personalisation", "No consent to personalisation"
    ERASED = "erased", "Customer erased"
    BOUNCED = "bounced", "Address bounced or complained"
    FREQUENCY_CAP = "frequency_cap", "Frequency cap"
    NOTHING_TO_SEND = "nothing_to_send", "Nothing to recommend"
    LESSON_COMPLETED = "lesson_completed", "Lesson already completed"
    LESSON_UNAVAILABLE = "lesson_unavailable", "Lesson no longer published"


# Reason recorded on a row that was being handed to the backend when its worker stopped:
# whether the provider accepted it is unknown, so it is never re-sent automatically.
OUTCOME_UNKNOWN = "outcome_unknown"


class EmailDelivery(models.Model):
    """One email to one customer. At most one per (customer, campaign, period), ever.

    The row is claimed (queued -> sending) before the message is handed to the backend,
    so concurrent or repeated tasks cannot send it twice.
    """

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+")
    campaign = models.CharField(max_length=60)
    period = models.CharField(max_length=40)
    status = models.CharField(
        max_length=12, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    reason = models.CharField(max_length=300, blank=True)
    # The lessons the message links to, by their stable (default-locale) id.
    lesson_ids = models.JSONField(default=list, blank=True)
    message_id = models.CharField(max_length=200, blank=True)
    provider_message_id = models.CharField(max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # The planning run that created the row: it enqueues only rows it created.
    plan_token = models.UUIDField(null=True, blank=True, db_index=True, editable=False)
    not_before = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "email delivery"
        verbose_name_plural = "email deliveries"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "campaign", "period"], name="delivery_unique_period"
            )
        ]
        indexes = [
            models.Index(fields=["workspace", "status"]),
            models.Index(fields=["status", "claimed_at"]),
            models.Index(fields=["customer", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} {self.period} → {self.customer_id} ({self.status})"

    @property
    def idempotency_key(self) -> str:
        return f"{self.customer_id}:{self.campaign}:{self.period}"


class BouncedAddress(models.Model):
    """An address the provider reported as bounced or complaining: never mailed again.

    Tied to the customer (erasure removes it) and to the address (a new address lifts it).
    """

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField()
    event = models.CharField(max_length=40)
    detail = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["customer", "email"], name="bounce_unique_address")
        ]
