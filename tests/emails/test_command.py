import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from tests.factories import CustomerFactory


def _run(*args) -> str:
    out = io.StringIO()
    call_command("send_digests", *args, stdout=out)
    return out.getvalue()


def test_send_digests_now_sends_and_prints_what_was_suppressed(
    workspace, other_workspace, lessons, email_settings
):
    # --now sends whatever the customers' local time is.
    welcome = CustomerFactory(workspace=workspace, timezone="America/Los_Angeles")
    opted_out = CustomerFactory(workspace=workspace, email_consent=False)
    CustomerFactory(workspace=other_workspace)

    output = _run("--workspace", workspace.slug, "--now")

    assert len(mail.outbox) == 1
    assert f"sent\t{welcome.email}" in output
    assert f"suppressed\t{opted_out.email}" in output and "(no_consent)" in output
    assert "1 sent, 1 suppressed" in output


def test_send_digests_now_still_respects_the_period(workspace, lessons, email_settings):
    CustomerFactory(workspace=workspace)
    _run("--now")
    output = _run("--now")
    assert len(mail.outbox) == 1
    assert "No digest was due." in output


def test_send_digests_rejects_an_unknown_workspace(db):
    with pytest.raises(CommandError):
        _run("--workspace", "nope")


def test_resend_email_queues_a_failed_delivery_again(
    workspace, lessons, customer, email_settings, django_capture_on_commit_callbacks
):
    from education.emails.models import OUTCOME_UNKNOWN, EmailDelivery

    delivery = EmailDelivery.objects.create(
        workspace=workspace,
        customer=customer,
        campaign="digest",
        period="2025-06-02/7d",
        status="failed",
        reason=OUTCOME_UNKNOWN,
    )
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("resend_email", str(delivery.pk), "999999", stdout=out, stderr=io.StringIO())

    delivery.refresh_from_db()
    assert delivery.status == "sent"
    assert f"{delivery.pk}\tqueued again" in out.getvalue()
    assert len(mail.outbox) == 1
