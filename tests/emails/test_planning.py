import datetime as dt

from django.core import mail

from education.customers.identity import identity_hash
from education.customers.models import SuppressedIdentity
from education.emails.models import BouncedAddress, DeliveryStatus, EmailDelivery
from education.emails.selectors import digest_period_key
from tests.factories import CustomerFactory


def test_weekly_periods_start_on_monday():
    monday, sunday = dt.date(2025, 6, 2), dt.date(2025, 6, 8)
    assert digest_period_key(local_date=monday, frequency_days=7) == "2025-06-02/7d"
    assert digest_period_key(local_date=sunday, frequency_days=7) == "2025-06-02/7d"
    assert digest_period_key(local_date=sunday + dt.timedelta(days=1), frequency_days=7) == (
        "2025-06-09/7d"
    )


def test_only_customers_past_their_local_send_hour_are_due(
    workspace, lessons, email_settings, plan_digests
):
    # 10:00 UTC: 10:00 in London's winter-less UTC, 03:00 in Los Angeles, 19:00 in Tokyo.
    utc = CustomerFactory(workspace=workspace, timezone="UTC")
    los_angeles = CustomerFactory(workspace=workspace, timezone="America/Los_Angeles")
    tokyo = CustomerFactory(workspace=workspace, timezone="Asia/Tokyo")
    unknown = CustomerFactory(workspace=workspace, timezone="Not/AZone")

    plan_digests(workspace)

    recipients = {message.to[0].split("<")[1].rstrip(">") for message in mail.outbox}
    assert recipients == {utc.email, tokyo.email, unknown.email}
    assert not EmailDelivery.objects.filter(customer=los_angeles).exists()


def test_local_period_follows_the_customer_calendar(workspace, lessons, email_settings, now):
    from education.emails.selectors import customers_due_for_digest

    # Monday 10:00 UTC is still Sunday 23:00 in Pago Pago (the previous weekly period).
    pago_pago = CustomerFactory(workspace=workspace, timezone="Pacific/Pago_Pago")
    due = customers_due_for_digest(workspace=workspace, email_settings=email_settings, now=now)
    assert due[pago_pago.pk] == "2025-05-26/7d"


def test_running_the_digest_twice_in_one_period_sends_once(
    workspace, lessons, customer, email_settings, plan_digests, now
):
    first = plan_digests(workspace)
    second = plan_digests(workspace, now=now + dt.timedelta(days=2))

    assert len(first.queued_ids) == 1
    assert second.queued_ids == []
    assert len(mail.outbox) == 1


def test_next_period_gets_a_new_digest(
    workspace, lessons, customer, email_settings, plan_digests, now
):
    plan_digests(workspace)
    plan_digests(workspace, now=now + dt.timedelta(days=7))
    assert len(mail.outbox) == 2
    assert EmailDelivery.objects.filter(customer=customer, status=DeliveryStatus.SENT).count() == 2


def test_opted_out_erased_bounced_and_capped_customers_get_nothing_and_are_recorded(
    workspace, lessons, email_settings, plan_digests, now
):
    welcome = CustomerFactory(workspace=workspace, timezone="UTC")
    opted_out = CustomerFactory(workspace=workspace, timezone="UTC", email_consent=False)
    erased = CustomerFactory(workspace=workspace, timezone="UTC")
    SuppressedIdentity.objects.create(
        workspace=workspace,
        identity_hash=identity_hash(workspace_id=workspace.pk, external_id=erased.external_id),
    )
    bounced = CustomerFactory(workspace=workspace, timezone="UTC")
    BouncedAddress.objects.create(
        workspace=workspace, customer=bounced, email=bounced.email, event="bounced"
    )
    capped = CustomerFactory(workspace=workspace, timezone="UTC")
    EmailDelivery.objects.create(
        workspace=workspace,
        customer=capped,
        campaign="trigger:1",
        period="once",
        status=DeliveryStatus.SENT,
        created_at=now - dt.timedelta(hours=3),
    )

    result = plan_digests(workspace)

    assert [message.to[0] for message in mail.outbox] == [f"{welcome.name} <{welcome.email}>"]
    reasons = dict(
        EmailDelivery.objects.filter(campaign="digest", status="suppressed").values_list(
            "customer_id", "reason"
        )
    )
    assert reasons == {
        opted_out.pk: "no_consent",
        erased.pk: "erased",
        bounced.pk: "bounced",
        capped.pk: "frequency_cap",
    }
    assert result.suppressed == {
        "no_consent": 1,
        "erased": 1,
        "bounced": 1,
        "frequency_cap": 1,
    }


def test_a_new_address_lifts_a_bounce(workspace, lessons, email_settings, plan_digests):
    customer = CustomerFactory(workspace=workspace, timezone="UTC")
    BouncedAddress.objects.create(
        workspace=workspace, customer=customer, email="old@example.com", event="bounced"
    )
    plan_digests(workspace)
    assert len(mail.outbox) == 1


def test_customers_with_nothing_to_learn_get_no_digest(
    workspace, lessons, customer, email_settings, plan_digests
):
    from education.progress.models import LessonProgress

    for lesson in lessons:
        LessonProgress.objects.create(customer=customer, lesson=lesson, status="completed")

    plan_digests(workspace)

    assert mail.outbox == []
    row = EmailDelivery.objects.get(customer=customer)
    assert (row.status, row.reason) == ("suppressed", "nothing_to_send")


def test_disabled_digest_plans_nothing(workspace, lessons, customer, email_settings, plan_digests):
    email_settings.digest_enabled = False
    email_settings.save()
    assert plan_digests(workspace).queued_ids == []
    assert mail.outbox == []


def test_customers_of_other_workspaces_are_not_planned(
    workspace, other_workspace, lessons, customer, email_settings, plan_digests
):
    stranger = CustomerFactory(workspace=other_workspace, timezone="UTC")
    plan_digests(workspace)
    assert not EmailDelivery.objects.filter(customer=stranger).exists()
    assert EmailDelivery.objects.filter(customer=customer).exists()
