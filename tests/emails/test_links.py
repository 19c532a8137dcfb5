import re

import pytest
from django.core import mail
from django.test import Client

from education.customers.models import Customer
from education.emails.models import DeliveryStatus, EmailDelivery
from education.events.models import UsageEvent

_LINK = re.compile(r"http://127\.0\.0\.1:8000(/e/l/[^\s\"]+)")
_UNSUBSCRIBE = re.compile(r"http://127\.0\.0\.1:8000(/e/unsubscribe/[^\s\"]+)")


@pytest.fixture
def digest(workspace, lessons, customer, email_settings, plan_digests):
    plan_digests(workspace)
    return mail.outbox[0]


def _first(pattern, message) -> str:
    return pattern.search(message.body).group(1)


def test_a_lesson_link_records_the_visit_and_opens_the_hosted_lesson(
    client, digest, customer, lessons
):
    response = client.get(_first(_LINK, digest))

    assert response.status_code == 302
    assert response["Location"] == lessons[0].full_url
    event = UsageEvent.objects.get(customer=customer)
    assert (event.name, event.kind, event.signal) == (
        "Lesson Viewed",
        "lesson",
        f"lesson:{lessons[0].pk}",
    )
    assert event.properties["channel"] == "email"


def test_a_lesson_link_opens_the_lesson_inside_the_product_when_configured(
    client, digest, workspace, lessons
):
    workspace.lesson_url_template = "https://app.example.com/learn/{lesson_id}?s={lesson_slug}"
    workspace.save()

    response = client.get(_first(_LINK, digest))

    assert response["Location"] == (
        f"https://app.example.com/learn/{lessons[0].pk}?s={lessons[0].slug}"
    )


def test_clicking_twice_records_one_visit(client, digest, customer):
    link = _first(_LINK, digest)
    client.get(link)
    client.get(link)
    assert UsageEvent.objects.filter(customer=customer).count() == 1


@pytest.mark.parametrize(
    "tamper",
    [
        lambda path: path.replace("/e/l/W", "/e/l/X"),
        lambda path: path[:-6] + "AAAAA/",
        lambda path: "/e/l/not-a-token/",
    ],
)
def test_a_tampered_link_gets_a_friendly_page(client, digest, tamper):
    response = client.get(tamper(_first(_LINK, digest)))

    assert response.status_code == 400
    assert b"This link does not work" in response.content
    assert response["Content-Type"].startswith("text/html")
    assert not UsageEvent.objects.exists()


def test_a_link_for_a_lesson_the_email_did_not_carry_is_refused(client, digest, customer):
    from education.emails.links import lesson_link_url

    delivery = EmailDelivery.objects.get(customer=customer)
    forged = lesson_link_url(
        delivery_id=delivery.pk, customer_public_id=customer.public_id.hex, lesson_id=999999
    )
    assert client.get(forged.removeprefix("http://127.0.0.1:8000")).status_code == 400


def test_an_unpublished_lesson_says_so(client, digest, lessons):
    lessons[0].unpublish()
    response = client.get(_first(_LINK, digest))
    assert response.status_code == 410
    assert b"no longer available" in response.content


def test_a_link_of_an_erased_customer_no_longer_works(client, digest, customer):
    customer.delete()
    assert client.get(_first(_LINK, digest)).status_code == 400


def test_unsubscribe_get_only_asks_for_confirmation(client, digest, customer):
    response = client.get(_first(_UNSUBSCRIBE, digest))

    assert response.status_code == 200
    assert b'<form method="post">' in response.content
    customer.refresh_from_db()
    assert customer.email_consent is True


def test_one_click_unsubscribe_needs_no_cookie_or_csrf_token(digest, customer):
    provider = Client(enforce_csrf_checks=True)

    response = provider.post(
        _first(_UNSUBSCRIBE, digest),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert b"You are unsubscribed" in response.content
    customer.refresh_from_db()
    assert customer.email_consent is False


def test_unsubscribing_cancels_what_is_still_queued(digest, customer, workspace):
    queued = EmailDelivery.objects.create(
        workspace=workspace, customer=customer, campaign="trigger:9", period="once"
    )
    Client().post(_first(_UNSUBSCRIBE, digest))
    queued.refresh_from_db()
    assert (queued.status, queued.reason) == (DeliveryStatus.SUPPRESSED, "no_consent")


def test_a_tampered_unsubscribe_link_changes_nothing(client, digest, customer):
    path = _first(_UNSUBSCRIBE, digest)
    response = client.post(path[:-4] + "xyz/")

    assert response.status_code == 400
    assert Customer.objects.get(pk=customer.pk).email_consent is True


def test_unsubscribe_after_erasure_still_answers_politely(client, digest, customer):
    path = _first(_UNSUBSCRIBE, digest)
    customer.delete()
    assert client.post(path).status_code == 200
