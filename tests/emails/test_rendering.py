import email
import email.policy

from django.core import mail
from wagtail.models import Locale

from tests.factories import CustomerFactory


def _parts(message):
    parsed = email.message_from_bytes(message.message().as_bytes(), policy=email.policy.default)
    text = parsed.get_body(("plain",)).get_content()
    html = parsed.get_body(("html",)).get_content()
    return parsed, text, html


def test_digest_has_plain_text_and_html_with_inlined_css(
    workspace, lessons, learning_path_page, customer, email_settings, plan_digests
):
    plan_digests(workspace)

    parsed, text, html = _parts(mail.outbox[0])
    assert parsed["Subject"] == "Your next lessons in Ledgerly"
    for lesson in lessons:
        assert lesson.title in text and lesson.title in html
    assert "Getting paid" in text and "0 of 3 lessons done" in text
    assert "2 minutes" in text
    # Styles live in style attributes; only the responsive @media rules stay in <style>.
    assert 'class="lesson" style="' in html
    assert "@media only screen and (max-width: 620px)" in html
    assert ".lesson {" not in html


def test_digest_headers_allow_one_click_unsubscribe(
    workspace, lessons, customer, email_settings, plan_digests, delivery_of
):
    plan_digests(workspace)

    parsed, _text, _html = _parts(mail.outbox[0])
    delivery = delivery_of(customer)
    assert parsed["Message-ID"] == delivery.message_id
    assert parsed["List-Unsubscribe"].strip().startswith("<http://127.0.0.1:8000/e/unsubscribe/")
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_digest_carries_the_workspace_branding(
    workspace, lessons, customer, email_settings, plan_digests
):
    workspace.brand_name = "Ledgerly Pro"
    workspace.brand_color = "#ff6600"
    workspace.logo_url = "https://cdn.example.com/logo.png"
    workspace.support_email = "help@ledgerly.example"
    workspace.save()
    email_settings.from_email = "Ledgerly <learn@ledgerly.example>"
    email_settings.save()

    plan_digests(workspace)

    message = mail.outbox[0]
    _parsed, text, html = _parts(message)
    assert message.from_email == "Ledgerly <learn@ledgerly.example>"
    assert message.reply_to == ["help@ledgerly.example"]
    assert "background:#ff6600" in html
    assert 'src="https://cdn.example.com/logo.png"' in html
    assert "help@ledgerly.example" in text


def test_unsafe_brand_colour_and_titles_cannot_inject_markup(
    workspace, customer, email_settings, plan_digests
):
    from tests.factories import LessonPageFactory

    LessonPageFactory(workspace=workspace, title='<script>alert("x")</script>')
    workspace.brand_color = "red;}x"
    workspace.save()

    plan_digests(workspace)

    _parsed, _text, html = _parts(mail.outbox[0])
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "red;}x" not in html


def test_french_customers_get_french_text_and_french_lessons(
    workspace, lessons, email_settings, plan_digests
):
    french = Locale.objects.get(language_code="fr")
    translated = lessons[0].copy_for_translation(french)
    translated.title = "Factures, premiers pas"
    translated.save_revision().publish()
    customer = CustomerFactory(workspace=workspace, locale="fr-FR", timezone="UTC", name="Léa")

    plan_digests(workspace)

    parsed, text, html = _parts(mail.outbox[0])
    assert parsed["Subject"] == "Vos prochaines leçons sur Ledgerly"
    assert "Bonjour Léa, voici la suite de votre apprentissage" in text
    assert "Factures, premiers pas" in html
    assert "Commencer la leçon" in html
    assert "Se désabonner" in text
    assert customer.email in parsed["To"]


def test_a_locale_without_translation_falls_back_to_the_workspace_language(
    workspace, lessons, email_settings, plan_digests
):
    CustomerFactory(workspace=workspace, locale="de", timezone="UTC")
    plan_digests(workspace)
    assert mail.outbox[0].subject == "Your next lessons in Ledgerly"


def test_the_french_trigger_subject_agrees_with_the_number_of_minutes(
    workspace, lessons, email_settings
):
    from education.emails.models import EmailDelivery
    from education.emails.rendering import trigger_render

    customer = CustomerFactory(workspace=workspace, locale="fr", timezone="UTC")
    subjects = []
    for minutes in (1, 3):
        lessons[0].duration_minutes = minutes
        delivery = EmailDelivery.objects.create(
            workspace=workspace, customer=customer, campaign="trigger:test", period=str(minutes)
        )
        rendered = trigger_render(
            delivery=delivery,
            customer=customer,
            lesson=lessons[0],
            lesson_id=lessons[0].pk,
            kind="error_count",
            feature_name="Factures",
        )
        subjects.append(rendered.subject)

    assert subjects[0].startswith("Une leçon de 1 minute pour vous")
    assert subjects[1].startswith("Une leçon de 3 minutes pour vous")
