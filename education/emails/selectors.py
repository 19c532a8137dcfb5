"""Reads for email: who is due, who must not be mailed, what a trigger matches."""

from collections.abc import Collection, Iterable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db.models import Count, Exists, OuterRef, QuerySet

from education.customers.identity import identity_hash
from education.customers.models import Customer, SuppressedIdentity
from education.emails.models import (
    DIGEST_CAMPAIGN,
    BouncedAddress,
    DeliveryStatus,
    EmailDelivery,
    EmailTrigger,
    SuppressionReason,
    TriggerKind,
    WorkspaceEmailSettings,
)
from education.events.models import SignalKind, UsageEvent
from education.progress.models import LessonProgress, LessonStatus
from education.workspaces.models import Workspace

# Rows that count against the frequency cap: everything that was or will be sent.
_CAPPED_STATUSES = [DeliveryStatus.QUEUED, DeliveryStatus.SENDING, DeliveryStatus.SENT]
_BATCH = 1000


def email_settings_of(*, workspace: Workspace) -> WorkspaceEmailSettings:
    """The workspace's settings, or the defaults (unsaved) when none were set."""
    found = WorkspaceEmailSettings.objects.filter(workspace=workspace).first()
    return found or WorkspaceEmailSettings(workspace=workspace)


def zone_of(name: str, *, default: str = "UTC") -> ZoneInfo:
    for candidate in (name, default, "UTC"):
        try:
            return ZoneInfo(candidate) if candidate else ZoneInfo("UTC")
        except (ValueError, ZoneInfoNotFoundError):
            continue
    return ZoneInfo("UTC")


def digest_period_key(*, local_date: date, frequency_days: int) -> str:
    """The digest period a local date falls in: consecutive ``frequency_days`` blocks
    counted from Monday 1 January of year 1, so weekly periods start on Mondays."""
    ordinal = local_date.toordinal()
    start = date.fromordinal(ordinal - (ordinal - 1) % frequency_days)
    return f"{start.isoformat()}/{frequency_days}d"


def customers_due_for_digest(
    *,
    workspace: Workspace,
    email_settings: WorkspaceEmailSettings,
    now: datetime,
    ignore_send_hour: bool = False,
) -> dict[int, str]:
    """Customers with an address who have no digest row for their current period and whose
    local time is past the send hour: customer id -> period key.

    Consent, caps and erasure are not checked here: planning records them as suppressions.
    """
    if not email_settings.digest_enabled:
        return {}
    addressed = Customer.objects.filter(workspace=workspace, is_anonymous=False).exclude(email="")
    due: dict[int, str] = {}
    for timezone_name in addressed.values_list("timezone", flat=True).distinct():
        local = now.astimezone(zone_of(timezone_name, default=email_settings.default_timezone))
        if not ignore_send_hour and local.hour < email_settings.send_hour:
            continue
        period = digest_period_key(
            local_date=local.date(), frequency_days=email_settings.digest_frequency_days
        )
        already = EmailDelivery.objects.filter(
            customer=OuterRef("pk"), campaign=DIGEST_CAMPAIGN, period=period
        )
        customer_ids = (
            addressed.filter(timezone=timezone_name)
            .filter(~Exists(already))
            .values_list("pk", flat=True)
        )
        due.update(dict.fromkeys(customer_ids, period))
    return due


def _chunks(values: list, size: int = _BATCH) -> Iterable[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def erased_customer_ids(*, workspace: Workspace, customers: list[Customer]) -> set[int]:
    """Customers whose user id is on the erasure suppression list."""
    by_hash = {
        identity_hash(workspace_id=workspace.pk, external_id=customer.external_id): customer.pk
        for customer in customers
    }
    erased: set[int] = set()
    for hashes in _chunks(list(by_hash)):
        found = SuppressedIdentity.objects.filter(workspace=workspace, identity_hash__in=hashes)
        erased.update(by_hash[value] for value in found.values_list("identity_hash", flat=True))
    return erased


def bounced_customer_ids(*, customers: list[Customer]) -> set[int]:
    """Customers whose current address bounced or complained."""
    address_of = {customer.pk: customer.email.lower() for customer in customers}
    bounced: set[int] = set()
    for ids in _chunks(list(address_of)):
        rows = BouncedAddress.objects.filter(customer_id__in=ids).values_list(
            "customer_id", "email"
        )
        bounced.update(pk for pk, email in rows if email.lower() == address_of[pk])
    return bounced


def capped_customer_ids(
    *,
    customer_ids: list[int],
    cap_days: int,
    now: datetime,
    exclude_delivery_ids: Iterable[int] = (),
    statuses: Iterable[str] = _CAPPED_STATUSES,
) -> set[int]:
    """Customers who were sent (or will be sent) a Waypoint email within the cap."""
    if cap_days <= 0:
        return set()
    capped: set[int] = set()
    exclude = list(exclude_delivery_ids)
    for ids in _chunks(customer_ids):
        rows = EmailDelivery.objects.filter(
            customer_id__in=ids,
            status__in=list(statuses),
            created_at__gte=now - timedelta(days=cap_days),
        ).exclude(pk__in=exclude)
        capped.update(rows.values_list("customer_id", flat=True))
    return capped


def suppression_reasons(
    *,
    workspace: Workspace,
    customers: list[Customer],
    cap_days: int,
    now: datetime,
    exclude_delivery_ids: Iterable[int] = (),
    cap_statuses: Iterable[str] = _CAPPED_STATUSES,
) -> dict[int, str]:
    """Why each customer must not be mailed now (customers absent may be mailed)."""
    erased = erased_customer_ids(workspace=workspace, customers=customers)
    bounced = bounced_customer_ids(customers=customers)
    capped = capped_customer_ids(
        customer_ids=[customer.pk for customer in customers],
        cap_days=cap_days,
        now=now,
        exclude_delivery_ids=exclude_delivery_ids,
        statuses=cap_statuses,
    )
    reasons: dict[int, str] = {}
    for customer in customers:
        if customer.pk in erased:
            reasons[customer.pk] = SuppressionReason.ERASED
        elif not customer.email:
            reasons[customer.pk] = SuppressionReason.NO_EMAIL
        elif not customer.email_consent:
            reasons[customer.pk] = SuppressionReason.NO_CONSENT
        elif customer.pk in bounced:
            reasons[customer.pk] = SuppressionReason.BOUNCED
        elif customer.pk in capped:
            reasons[customer.pk] = SuppressionReason.FREQUENCY_CAP
    return reasons


# The usage signal each kind of trigger watches.
TRIGGER_SIGNAL_KINDS = {
    TriggerKind.ERROR_THRESHOLD: SignalKind.ERROR,
    TriggerKind.FIRST_USE: SignalKind.USED,
    TriggerKind.SUPPORT_TICKET: SignalKind.TICKET,
}


def triggers_active(*, workspace: Workspace) -> QuerySet[EmailTrigger]:
    return EmailTrigger.objects.filter(workspace=workspace, active=True).select_related(
        "feature", "lesson"
    )


def trigger_signals_of(*, workspace_id: int) -> frozenset[tuple[str, str]]:
    """The (feature key, signal kind) pairs that the workspace's active triggers watch."""
    rows = EmailTrigger.objects.filter(workspace_id=workspace_id, active=True).values_list(
        "feature__key", "kind"
    )
    return frozenset((feature_key, TRIGGER_SIGNAL_KINDS[kind]) for feature_key, kind in rows)


def trigger_matching_customer_ids(
    *,
    trigger: EmailTrigger,
    received_since: datetime,
    now: datetime,
    among: Collection[int] | None = None,
) -> set[int]:
    """Customers (``among`` these, when given) whose events received since
    ``received_since`` fire the trigger."""
    events = UsageEvent.objects.filter(workspace_id=trigger.workspace_id)
    feature_key = trigger.feature.key
    kind = TRIGGER_SIGNAL_KINDS[trigger.kind]
    new_events = events.filter(
        feature_key=feature_key, kind=kind, received_at__gt=received_since, received_at__lte=now
    )
    if among is not None:
        new_events = new_events.filter(customer_id__in=list(among))
    if trigger.kind == TriggerKind.SUPPORT_TICKET:
        return set(new_events.values_list("customer_id", flat=True))
    if trigger.kind == TriggerKind.FIRST_USE:
        used_before = events.filter(
            customer_id=OuterRef("customer_id"),
            feature_key=feature_key,
            kind=kind,
            received_at__lte=received_since,
        )
        return set(new_events.filter(~Exists(used_before)).values_list("customer_id", flat=True))
    # Repeated errors: only customers with a new error can newly cross the threshold.
    counts = (
        events.filter(
            customer_id__in=new_events.values_list("customer_id", flat=True),
            feature_key=feature_key,
            kind=kind,
            timestamp__gte=now - timedelta(hours=trigger.window_hours),
        )
        .values("customer_id")
        .annotate(errors=Count("pk"))
        .filter(errors__gte=trigger.threshold)
    )
    return {row["customer_id"] for row in counts}


def customers_who_completed(*, lesson_id: int, customer_ids: Iterable[int]) -> set[int]:
    return set(
        LessonProgress.objects.filter(
            lesson_id=lesson_id, customer_id__in=list(customer_ids), status=LessonStatus.COMPLETED
        ).values_list("customer_id", flat=True)
    )


def deliveries_to_recover(*, requeue_before: datetime, now: datetime) -> QuerySet[EmailDelivery]:
    """Queued rows whose task seems lost (untouched for a while, not waiting for a retry)."""
    return EmailDelivery.objects.filter(
        status=DeliveryStatus.QUEUED, updated_at__lt=requeue_before
    ).exclude(not_before__gt=now)


def deliveries_stuck_sending(*, claimed_before: datetime) -> QuerySet[EmailDelivery]:
    return EmailDelivery.objects.filter(
        status=DeliveryStatus.SENDING, claimed_at__lt=claimed_before
    )
