"""Writes for email: planning deliveries, sending them exactly once, links, schedules.

A delivery row goes queued -> sending -> sent (or failed, or suppressed). The row is
claimed with a conditional UPDATE (only a queued row can become sending) immediately
before its message is handed to the backend, so two tasks, two ticks or a redelivered
task can never send it twice. A worker that dies between the claim and the status update
leaves the row in "sending": whether the provider accepted the message is then unknown,
so recovery marks it failed with reason ``outcome_unknown`` for a person to check in the
provider's logs, instead of risking a second copy (``email_delivery_resend`` re-queues it).
"""

import logging
import smtplib
import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from cms.models import LessonPage
from cms.selectors import lessons_live
from education.customers.models import Customer
from education.customers.services import customer_preferences_update
from education.emails import selectors
from education.emails.links import InvalidLink, lesson_link_parse, unsubscribe_link_parse
from education.emails.models import (
    DIGEST_CAMPAIGN,
    OUTCOME_UNKNOWN,
    TRIGGER_CAMPAIGN_PREFIX,
    TRIGGER_PERIOD,
    BouncedAddress,
    DeliveryStatus,
    EmailDelivery,
    EmailTrigger,
    SuppressionReason,
    TriggerKind,
    TriggerScanState,
    WorkspaceEmailSettings,
)
from education.emails.rendering import (
    Rendered,
    digest_render,
    language_of,
    message_build,
    message_id_for,
    sender_of,
    trigger_render,
)
from education.events.models import SignalKind, UsageEvent
from education.progress.models import PinnedLesson
from education.workspaces.models import Workspace
from recommender.freshness import customers_changed
from recommender.types import LearningPath, Recommendations

logger = logging.getLogger(__name__)

# Trigger scans re-read a little before the last cursor: events committed late by a slow
# ingestion transaction are still seen; delivery keys make the re-read harmless.
TRIGGER_SCAN_OVERLAP = timedelta(minutes=5)
TRIGGER_FIRST_LOOKBACK = timedelta(hours=1)
PIN_DAYS = 30
_MAX_BACKOFF_SECONDS = 6 * 3600
# Ids per IN (...) list: SQLite limits bound parameters.
_ID_BATCH = 1000
# Email-only reasons: the lesson is still pinned in the widget.
_PIN_DESPITE = {
    SuppressionReason.NO_EMAIL,
    SuppressionReason.NO_CONSENT,
    SuppressionReason.BOUNCED,
    SuppressionReason.FREQUENCY_CAP,
}


# --- Planning ---------------------------------------------------------------------------


@dataclass
class PlanResult:
    """What one planning run created (rows that already existed are left alone)."""

    plan_tokens: list[uuid.UUID] = field(default_factory=list)
    queued_ids: list[int] = field(default_factory=list)
    suppressed: Counter = field(default_factory=Counter)

    def merge(self, other: "PlanResult") -> "PlanResult":
        self.plan_tokens += other.plan_tokens
        self.queued_ids += other.queued_ids
        self.suppressed.update(other.suppressed)
        return self


def email_deliveries_enqueue(*, delivery_ids: list[int], countdown: int = 0) -> None:
    """Hand rows to workers in chunks, once the current transaction commits."""
    from education.emails.tasks import email_deliveries_send_task

    size = max(1, settings.EMAIL_CHUNK_SIZE)
    for start in range(0, len(delivery_ids), size):
        chunk = delivery_ids[start : start + size]
        transaction.on_commit(
            lambda chunk=chunk: email_deliveries_send_task.apply_async(
                args=[chunk], countdown=countdown or None
            )
        )


@transaction.atomic
def email_deliveries_plan(
    *,
    workspace: Workspace,
    campaign: str,
    periods: dict[int, str],
    now: datetime,
    email_settings: WorkspaceEmailSettings,
    forced_reasons: dict[int, str] | None = None,
    enqueue: bool = True,
) -> PlanResult:
    """Create one row per customer and period: queued, or suppressed with its reason.

    A customer who already has a row for (campaign, period) gets nothing new, so planning
    twice, or two ticks at once, plans once.
    """
    forced_reasons = forced_reasons or {}
    ids = sorted(periods)
    customers = [
        customer
        for start in range(0, len(ids), _ID_BATCH)
        for customer in Customer.objects.filter(
            workspace=workspace, pk__in=ids[start : start + _ID_BATCH]
        ).only("pk", "external_id", "email", "email_consent")
    ]
    reasons = selectors.suppression_reasons(
        workspace=workspace,
        customers=customers,
        cap_days=email_settings.frequency_cap_days,
        now=now,
    )
    token = uuid.uuid4()
    rows = []
    for customer in customers:
        reason = reasons.get(customer.pk) or forced_reasons.get(customer.pk, "")
        rows.append(
            EmailDelivery(
                workspace=workspace,
                customer_id=customer.pk,
                campaign=campaign,
                period=periods[customer.pk],
                status=DeliveryStatus.SUPPRESSED if reason else DeliveryStatus.QUEUED,
                reason=reason,
                plan_token=token,
                created_at=now,
            )
        )
    EmailDelivery.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
    created = EmailDelivery.objects.filter(plan_token=token)
    result = PlanResult(plan_tokens=[token])
    result.queued_ids = list(
        created.filter(status=DeliveryStatus.QUEUED).order_by("pk").values_list("pk", flat=True)
    )
    result.suppressed.update(
        created.filter(status=DeliveryStatus.SUPPRESSED).values_list("reason", flat=True)
    )
    if enqueue:
        email_deliveries_enqueue(delivery_ids=result.queued_ids)
    return result


@transaction.atomic
def digests_plan(
    *,
    workspace: Workspace,
    now: datetime | None = None,
    ignore_send_hour: bool = False,
    enqueue: bool = True,
) -> PlanResult:
    """Plan this period's digest for every customer of the workspace who is due."""
    now = now or timezone.now()
    email_settings = selectors.email_settings_of(workspace=workspace)
    due = selectors.customers_due_for_digest(
        workspace=workspace,
        email_settings=email_settings,
        now=now,
        ignore_send_hour=ignore_send_hour,
    )
    if not due:
        return PlanResult()
    return email_deliveries_plan(
        workspace=workspace,
        campaign=DIGEST_CAMPAIGN,
        periods=due,
        now=now,
        email_settings=email_settings,
        enqueue=enqueue,
    )


def digests_plan_all(*, now: datetime | None = None) -> PlanResult:
    """The hourly tick: every workspace, each in its own transaction."""
    result = PlanResult()
    for workspace in Workspace.objects.order_by("pk"):
        result.merge(digests_plan(workspace=workspace, now=now))
    return result


def _pin_label(trigger: EmailTrigger) -> str:
    """The reason the widget shows next to the pinned lesson."""
    with override(trigger.workspace.default_locale):
        labels = {
            TriggerKind.ERROR_THRESHOLD: _("Because of repeated errors in %(feature)s"),
            TriggerKind.FIRST_USE: _("Because you started using %(feature)s"),
            TriggerKind.SUPPORT_TICKET: _("Because you asked support about %(feature)s"),
        }
        return labels[trigger.kind] % {"feature": trigger.feature.name}


@transaction.atomic
def trigger_evaluate(
    *, workspace: Workspace, now: datetime | None = None, enqueue: bool = True
) -> PlanResult:
    """The periodic scan: fire the workspace's active triggers on the events received
    since the last scan (a safety net behind the check that follows each ingestion)."""
    now = now or timezone.now()
    state, _created = TriggerScanState.objects.select_for_update().get_or_create(
        workspace=workspace, defaults={"scanned_until": now - TRIGGER_FIRST_LOOKBACK}
    )
    result = _triggers_fire(
        workspace=workspace,
        received_since=state.scanned_until - TRIGGER_SCAN_OVERLAP,
        now=now,
        enqueue=enqueue,
    )
    state.scanned_until = now
    state.save(update_fields=["scanned_until"])
    return result


@transaction.atomic
def triggers_evaluate_for_customers(
    *, workspace_id: int, customer_ids: Iterable[int], now: datetime | None = None
) -> PlanResult:
    """Right after ingestion: the triggers these customers' newest events may fire."""
    workspace = Workspace.objects.filter(pk=workspace_id).first()
    if workspace is None:
        return PlanResult()
    now = now or timezone.now()
    return _triggers_fire(
        workspace=workspace,
        received_since=now - TRIGGER_SCAN_OVERLAP,
        now=now,
        among=set(customer_ids),
    )


def triggers_evaluate_soon(*, workspace_id: int, customer_ids: Iterable[int]) -> None:
    """Ingestion's hand-off: once the events are committed, a worker checks the triggers
    of these customers, so a triggered lesson goes out within seconds.

    Best effort: the events are stored either way, and the periodic scan fires what a
    lost task missed, so a broker outage must not fail the request.
    """
    from education.emails.tasks import triggers_evaluate_for_customers_task

    args = [workspace_id, sorted(customer_ids)]

    def publish() -> None:
        try:
            triggers_evaluate_for_customers_task.apply_async(args=args, retry=False)
        except Exception:
            logger.warning("email triggers left to the periodic scan", exc_info=True)

    transaction.on_commit(publish)


def _triggers_fire(
    *,
    workspace: Workspace,
    received_since: datetime,
    now: datetime,
    enqueue: bool = True,
    among: set[int] | None = None,
) -> PlanResult:
    """Each trigger sends its lesson to a customer once, and pins it in their widget (also
    when the email itself is suppressed by consent or caps, which concern email only)."""
    email_settings = selectors.email_settings_of(workspace=workspace)
    result = PlanResult()
    for trigger in selectors.triggers_active(workspace=workspace):
        matched = selectors.trigger_matching_customer_ids(
            trigger=trigger, received_since=received_since, now=now, among=among
        )
        if not matched:
            continue
        forced = dict.fromkeys(
            selectors.customers_who_completed(lesson_id=trigger.lesson_id, customer_ids=matched),
            SuppressionReason.LESSON_COMPLETED,
        )
        for customer_id in Customer.objects.filter(
            pk__in=list(matched), personalisation_consent=False
        ).values_list("pk", flat=True):
            forced.setdefault(customer_id, SuppressionReason.NO_PERSONALISATION)
        plan = email_deliveries_plan(
            workspace=workspace,
            campaign=trigger.campaign,
            periods=dict.fromkeys(matched, TRIGGER_PERIOD),
            now=now,
            email_settings=email_settings,
            forced_reasons=forced,
            enqueue=enqueue,
        )
        _pins_create(trigger=trigger, plan_token=plan.plan_tokens[0], now=now)
        result.merge(plan)
    return result


def _pins_create(*, trigger: EmailTrigger, plan_token: uuid.UUID, now: datetime) -> None:
    customer_ids = EmailDelivery.objects.filter(plan_token=plan_token).filter(
        Q(status=DeliveryStatus.QUEUED) | Q(reason__in=_PIN_DESPITE)
    )
    label = _pin_label(trigger)
    pinned = list(customer_ids.values_list("customer_id", flat=True))
    PinnedLesson.objects.bulk_create(
        [
            PinnedLesson(
                customer_id=customer_id,
                lesson_id=trigger.lesson_id,
                reason=label,
                pinned_at=now,
                expires_at=now + timedelta(days=PIN_DAYS),
            )
            for customer_id in pinned
        ],
        ignore_conflicts=True,
    )
    # A bulk insert sends no signals: their widgets' cached documents must be rebuilt.
    transaction.on_commit(lambda: customers_changed(pinned))


def triggers_evaluate_all(*, now: datetime | None = None) -> PlanResult:
    result = PlanResult()
    workspace_ids = (
        EmailTrigger.objects.filter(active=True).values_list("workspace_id", flat=True).distinct()
    )
    for workspace in Workspace.objects.filter(pk__in=list(workspace_ids)).order_by("pk"):
        result.merge(trigger_evaluate(workspace=workspace, now=now))
    return result


# --- Sending ----------------------------------------------------------------------------


@dataclass
class SendReport:
    sent: list[int] = field(default_factory=list)
    suppressed: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)


class _Permanent(Exception):
    """The provider refused the message for good (bad address, policy)."""

    def __init__(self, detail: str, bounced: bool) -> None:
        super().__init__(detail)
        self.bounced = bounced


def _classify(error: Exception) -> Exception:
    """Permanent refusals become _Permanent; anything else is worth a retry."""
    from anymail.exceptions import AnymailAPIError, AnymailInvalidAddress, AnymailRecipientsRefused

    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        if codes and all(500 <= code < 600 for code in codes):
            return _Permanent(f"recipient refused: {codes}", bounced=True)
    elif isinstance(error, smtplib.SMTPResponseException) and 500 <= error.smtp_code < 600:
        return _Permanent(f"SMTP {error.smtp_code}: {error.smtp_error!r}"[:280], bounced=False)
    elif isinstance(error, AnymailRecipientsRefused | AnymailInvalidAddress):
        return _Permanent(str(error)[:280], bounced=True)
    elif isinstance(error, AnymailAPIError):
        status = getattr(error, "status_code", None)
        if status and 400 <= status < 500 and status not in (408, 429):
            return _Permanent(f"provider {status}: {error}"[:280], bounced=False)
    return error


def _backoff_seconds(attempts: int) -> int:
    return min(_MAX_BACKOFF_SECONDS, settings.EMAIL_RETRY_BASE_SECONDS * 2 ** max(0, attempts - 1))


def _transition(row: EmailDelivery, source: Iterable[str], **values) -> bool:
    values.setdefault("updated_at", timezone.now())
    return bool(EmailDelivery.objects.filter(pk=row.pk, status__in=list(source)).update(**values))


def _claim(row: EmailDelivery, lesson_ids: list[int], now: datetime) -> bool:
    """queued -> sending, atomically: only one task ever wins a row."""
    row.message_id = message_id_for(row)
    row.attempts += 1
    return _transition(
        row,
        [DeliveryStatus.QUEUED],
        status=DeliveryStatus.SENDING,
        attempts=F("attempts") + 1,
        claimed_at=now,
        message_id=row.message_id,
        lesson_ids=lesson_ids,
        not_before=None,
    )


class _ChunkContent:
    """Builds each row's message; caches what a chunk's rows share."""

    def __init__(self, rows: list[EmailDelivery]) -> None:
        self._rows = rows
        self._triggers: dict[int, EmailTrigger | None] = {}
        self._settings: dict[int, WorkspaceEmailSettings] = {}
        # customer pk -> (recommendations, path), for every digest of a workspace at once.
        self._digests: dict[int, tuple[Recommendations, LearningPath]] = {}
        self._digest_workspaces: set[int] = set()

    def render(self, row: EmailDelivery) -> tuple[Rendered | None, list[int], str]:
        """The rendered message and its lessons, or None with the suppression reason."""
        if row.campaign == DIGEST_CAMPAIGN:
            return self._digest(row)
        if row.campaign.startswith(TRIGGER_CAMPAIGN_PREFIX):
            return self._trigger(row)
        return None, [], SuppressionReason.NOTHING_TO_SEND

    def _digest(self, row: EmailDelivery) -> tuple[Rendered | None, list[int], str]:
        recommendations, path = self._recommendations_and_path(row)
        if not recommendations.items:
            return None, [], SuppressionReason.NOTHING_TO_SEND
        lesson_ids = [item.lesson_id for item in recommendations.items]
        lesson_ids += [step.lesson_id for step in (path.steps if path else [])]
        rendered = digest_render(
            delivery=row, customer=row.customer, recommendations=recommendations, path=path
        )
        return rendered, sorted(set(lesson_ids)), ""

    def _recommendations_and_path(self, row: EmailDelivery) -> tuple[Recommendations, LearningPath]:
        """From one batch call for the chunk's digests of the row's workspace (a handful of
        queries instead of five per digest); a row the batch could not serve is done alone,
        so an error stays with the row it concerns."""
        from recommender.serving import (
            learning_path,
            recommend_lessons,
            recommend_lessons_and_paths_many,
        )

        n = self.email_settings(row.workspace).digest_lesson_count
        if row.workspace_id not in self._digest_workspaces:
            self._digest_workspaces.add(row.workspace_id)
            customers = [
                other.customer
                for other in self._rows
                if other.workspace_id == row.workspace_id and other.campaign == DIGEST_CAMPAIGN
            ]
            try:
                self._digests.update(recommend_lessons_and_paths_many(customers=customers, n=n))
            except Exception:
                logger.exception("Batch recommendations failed; digests go one by one")
        if row.customer_id in self._digests:
            return self._digests[row.customer_id]
        return recommend_lessons(customer=row.customer, n=n), learning_path(customer=row.customer)

    def _trigger(self, row: EmailDelivery) -> tuple[Rendered | None, list[int], str]:
        trigger_id = int(row.campaign.removeprefix(TRIGGER_CAMPAIGN_PREFIX))
        if trigger_id not in self._triggers:
            self._triggers[trigger_id] = (
                EmailTrigger.objects.select_related("feature", "lesson")
                .filter(pk=trigger_id, workspace_id=row.workspace_id)
                .first()
            )
        trigger = self._triggers[trigger_id]
        lesson = trigger and lesson_for_customer(
            workspace=row.workspace, lesson_id=trigger.lesson_id, customer=row.customer
        )
        if lesson is None:
            return None, [], SuppressionReason.LESSON_UNAVAILABLE
        rendered = trigger_render(
            delivery=row,
            customer=row.customer,
            lesson=lesson,
            lesson_id=trigger.lesson_id,
            kind=trigger.kind,
            feature_name=trigger.feature.name,
        )
        return rendered, [trigger.lesson_id], ""

    def email_settings(self, workspace: Workspace) -> WorkspaceEmailSettings:
        if workspace.pk not in self._settings:
            self._settings[workspace.pk] = selectors.email_settings_of(workspace=workspace)
        return self._settings[workspace.pk]


def lesson_for_customer(
    *, workspace: Workspace, lesson_id: int, customer: Customer
) -> LessonPage | None:
    """The live lesson in the customer's language when translated, else in the default."""
    lesson = lessons_live(workspace=workspace).filter(pk=lesson_id).first()
    if lesson is None:
        return None
    language = language_of(customer, workspace)
    if lesson.locale.language_code == language:
        return lesson
    translated = (
        LessonPage.objects.live()
        .filter(translation_key=lesson.translation_key, locale__language_code=language)
        .first()
    )
    return translated or lesson


def email_deliveries_send(*, delivery_ids: list[int], now: datetime | None = None) -> SendReport:
    """Render and send queued rows; each is claimed just before it is sent.

    Not one transaction: every row's claim and outcome commit on their own, so a crash
    loses at most the row being sent (see the module docstring). Safe to call again with
    the same ids: rows that are no longer queued are skipped.
    """
    now = now or timezone.now()
    rows = list(
        EmailDelivery.objects.filter(pk__in=delivery_ids, status=DeliveryStatus.QUEUED)
        .select_related("customer", "workspace")
        .order_by("workspace_id", "pk")
    )
    report = SendReport()
    if not rows:
        return report
    content = _ChunkContent(rows)
    connection = get_connection()
    try:
        for workspace_id in dict.fromkeys(row.workspace_id for row in rows):
            batch = [row for row in rows if row.workspace_id == workspace_id]
            _send_batch(batch, content=content, connection=connection, now=now, report=report)
    finally:
        connection.close()
    if report.retrying:
        delay = _backoff_seconds(min(row.attempts for row in rows if row.pk in report.retrying))
        email_deliveries_enqueue(delivery_ids=report.retrying, countdown=delay)
    return report


def _send_batch(
    rows: list[EmailDelivery], *, content: _ChunkContent, connection, now, report: SendReport
) -> None:
    workspace = rows[0].workspace
    email_settings = content.email_settings(workspace)
    # Consent, erasure, bounces and caps again: they may have changed since planning.
    # Only what was really sent counts against the cap here, not other queued rows.
    reasons = selectors.suppression_reasons(
        workspace=workspace,
        customers=[row.customer for row in rows],
        cap_days=email_settings.frequency_cap_days,
        now=now,
        exclude_delivery_ids=[row.pk for row in rows],
        cap_statuses=[DeliveryStatus.SENDING, DeliveryStatus.SENT],
    )
    sender = sender_of(email_settings, workspace)
    for row in rows:
        reason = reasons.get(row.customer_id)
        rendered = None
        if not reason:
            try:
                rendered, lesson_ids, reason = content.render(row)
            except Exception as error:
                logger.exception("Could not render email delivery %s", row.pk)
                if _transition(
                    row,
                    [DeliveryStatus.QUEUED],
                    status=DeliveryStatus.FAILED,
                    reason=f"render error: {error!r}"[:300],
                ):
                    report.failed.append(row.pk)
                continue
        if reason:
            if _transition(
                row, [DeliveryStatus.QUEUED], status=DeliveryStatus.SUPPRESSED, reason=reason
            ):
                report.suppressed.append(row.pk)
            continue
        if not _claim(row, lesson_ids, now):
            continue
        _send_one(row, rendered=rendered, sender=sender, connection=connection, report=report)


def _send_one(row: EmailDelivery, *, rendered: Rendered, sender: str, connection, report) -> None:
    message = message_build(
        delivery=row,
        customer=row.customer,
        rendered=rendered,
        from_email=sender,
        connection=connection,
    )
    try:
        connection.send_messages([message])
        status = getattr(message, "anymail_status", None)
        if status is not None and status.status and status.status <= {"rejected", "invalid"}:
            raise _Permanent(f"provider status: {sorted(status.status)}", bounced=True)
    except Exception as raw_error:
        error = _classify(raw_error)
        # A broken SMTP session must not poison the next message of the chunk.
        connection.close()
        _record_failure(row, error, report)
        return
    provider_id = getattr(getattr(message, "anymail_status", None), "message_id", None) or ""
    _sent_record(row, provider_message_id=str(provider_id)[:200])
    report.sent.append(row.pk)


def _sent_record(row: EmailDelivery, *, provider_message_id: str) -> None:
    # A row that recovery set aside meanwhile (outcome unknown) gets the truth as well.
    _transition(
        row,
        [DeliveryStatus.SENDING, DeliveryStatus.FAILED],
        status=DeliveryStatus.SENT,
        sent_at=timezone.now(),
        provider_message_id=provider_message_id,
        reason="",
    )


def _record_failure(row: EmailDelivery, error: Exception, report: SendReport) -> None:
    if isinstance(error, _Permanent):
        logger.warning("Email delivery %s refused: %s", row.pk, error)
        _transition(
            row, [DeliveryStatus.SENDING], status=DeliveryStatus.FAILED, reason=str(error)[:300]
        )
        if error.bounced:
            email_bounce_record(delivery=row, event="refused", detail=str(error))
        report.failed.append(row.pk)
        return
    logger.warning("Email delivery %s attempt %s failed: %r", row.pk, row.attempts, error)
    detail = f"attempt {row.attempts}: {error!r}"[:300]
    if row.attempts >= settings.EMAIL_MAX_ATTEMPTS:
        _transition(row, [DeliveryStatus.SENDING], status=DeliveryStatus.FAILED, reason=detail)
        report.failed.append(row.pk)
        return
    _transition(
        row,
        [DeliveryStatus.SENDING],
        status=DeliveryStatus.QUEUED,
        reason=detail,
        not_before=timezone.now() + timedelta(seconds=_backoff_seconds(row.attempts)),
    )
    report.retrying.append(row.pk)


@dataclass
class RecoveryReport:
    requeued: list[int]
    outcome_unknown: list[int]


@transaction.atomic
def email_deliveries_recover(
    *,
    now: datetime | None = None,
    requeue_after: timedelta | None = None,
    sending_timeout: timedelta | None = None,
) -> RecoveryReport:
    """Hand queued rows whose task was lost to workers again, and set aside rows stuck in
    "sending" (their worker died mid-send) as failed with an unknown outcome."""
    now = now or timezone.now()
    if requeue_after is None:
        requeue_after = timedelta(minutes=settings.EMAIL_REQUEUE_AFTER_MINUTES)
    if sending_timeout is None:
        sending_timeout = timedelta(minutes=settings.EMAIL_SENDING_TIMEOUT_MINUTES)
    stuck = selectors.deliveries_stuck_sending(claimed_before=now - sending_timeout)
    stuck_ids = list(stuck.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(stuck_ids), _ID_BATCH):
        EmailDelivery.objects.filter(
            pk__in=stuck_ids[start : start + _ID_BATCH], status=DeliveryStatus.SENDING
        ).update(status=DeliveryStatus.FAILED, reason=OUTCOME_UNKNOWN, updated_at=now)
    lost = selectors.deliveries_to_recover(requeue_before=now - requeue_after, now=now)
    lost_ids = list(lost.order_by("pk").values_list("pk", flat=True))
    # Touching updated_at keeps the next recovery from handing them out again at once.
    for start in range(0, len(lost_ids), _ID_BATCH):
        EmailDelivery.objects.filter(pk__in=lost_ids[start : start + _ID_BATCH]).update(
            updated_at=now
        )
    email_deliveries_enqueue(delivery_ids=lost_ids)
    return RecoveryReport(requeued=lost_ids, outcome_unknown=stuck_ids)


@transaction.atomic
def email_delivery_resend(*, delivery: EmailDelivery) -> bool:
    """After review, queue a failed row again (same Message-ID, so duplicates can be
    recognised by the recipient's mailbox)."""
    changed = _transition(
        delivery,
        [DeliveryStatus.FAILED],
        status=DeliveryStatus.QUEUED,
        reason="",
        not_before=None,
    )
    if changed:
        email_deliveries_enqueue(delivery_ids=[delivery.pk])
    return changed


# --- Feedback from recipients and providers ---------------------------------------------


@transaction.atomic
def email_bounce_record(*, delivery: EmailDelivery, event: str, detail: str = "") -> None:
    """The address of this delivery bounced or complained: never mail it again."""
    customer = delivery.customer
    if not customer.email:
        return
    BouncedAddress.objects.get_or_create(
        customer=customer,
        email=customer.email.lower(),
        defaults={"workspace_id": delivery.workspace_id, "event": event, "detail": detail[:300]},
    )


class LessonUnavailable(Exception):
    """The link is genuine but its lesson is no longer published."""


@transaction.atomic
def email_lesson_link_follow(*, token: str, now: datetime | None = None) -> str:
    """Record the visit (a ``Lesson Viewed`` event, channel email) and say where to go.

    Raises InvalidLink for tampered tokens or links of erased customers, and
    LessonUnavailable when the lesson was unpublished since.
    """
    link = lesson_link_parse(token)
    delivery = (
        EmailDelivery.objects.select_related("customer", "workspace")
        .filter(pk=link.delivery_id)
        .first()
    )
    if (
        delivery is None
        or delivery.customer.public_id.hex != link.customer_public_id
        or link.lesson_id not in delivery.lesson_ids
    ):
        raise InvalidLink
    lesson = lesson_for_customer(
        workspace=delivery.workspace, lesson_id=link.lesson_id, customer=delivery.customer
    )
    if lesson is None:
        raise LessonUnavailable
    now = now or timezone.now()
    UsageEvent.objects.get_or_create(
        workspace=delivery.workspace,
        message_id=f"email-click:{delivery.pk}:{link.lesson_id}",
        defaults={
            "customer": delivery.customer,
            "name": "Lesson Viewed",
            "kind": SignalKind.LESSON,
            "signal": f"lesson:{link.lesson_id}",
            "timestamp": now,
            "received_at": now,
            "properties": {
                "channel": "email",
                "lesson_id": link.lesson_id,
                "campaign": delivery.campaign,
            },
        },
    )
    return lesson_destination_url(
        workspace=delivery.workspace, lesson=lesson, lesson_id=link.lesson_id
    )


def lesson_destination_url(*, workspace: Workspace, lesson: LessonPage, lesson_id: int) -> str:
    """The lesson inside the product when the workspace says where, else the hosted page."""
    template = workspace.lesson_url_template
    if template:
        return template.replace("{lesson_id}", str(lesson_id)).replace("{lesson_slug}", lesson.slug)
    return lesson.full_url or f"{settings.WAYPOINT_BASE_URL}{lesson.url or '/'}"


@transaction.atomic
def email_unsubscribe(*, token: str) -> Customer | None:
    """One-click unsubscribe: email consent off, and nothing queued goes out any more."""
    link = unsubscribe_link_parse(token)
    try:
        public_id = uuid.UUID(hex=link.customer_public_id)
    except ValueError as error:
        raise InvalidLink from error
    customer = Customer.objects.select_for_update().filter(public_id=public_id).first()
    if customer is None:
        return None  # erased since: there is nothing left to mail
    if customer.email_consent:
        customer_preferences_update(customer=customer, email_consent=False)
    EmailDelivery.objects.filter(customer=customer, status=DeliveryStatus.QUEUED).update(
        status=DeliveryStatus.SUPPRESSED,
        reason=SuppressionReason.NO_CONSENT,
        updated_at=timezone.now(),
    )
    return customer


# --- Schedules --------------------------------------------------------------------------

SCHEDULES = {
    # name: (task, crontab minute)
    "waypoint: email digests (hourly)": ("emails.digests_plan", "0"),
    "waypoint: email triggers": ("emails.triggers_evaluate", "*/5"),
    "waypoint: email recovery": ("emails.deliveries_recover", "*/5"),
}


@transaction.atomic
def setup_schedules() -> None:
    """Create or update the beat entries (idempotent; runs after every migrate)."""
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    for name, (task, minute) in SCHEDULES.items():
        crontab, _created = CrontabSchedule.objects.get_or_create(
            minute=minute,
            hour="*",
            day_of_week="*",
            day_of_month="*",
            month_of_year="*",
            timezone="UTC",
        )
        PeriodicTask.objects.update_or_create(
            name=name, defaults={"task": task, "crontab": crontab, "interval": None}
        )
