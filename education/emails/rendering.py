"""Turning a delivery into a message: templates, translations, branding, inlined CSS."""

import re
from dataclasses import dataclass
from email.utils import formataddr, parseaddr

import css_inline
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import get_template
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cms.models import LessonPage
from education.customers.models import Customer
from education.emails.links import lesson_link_url, unsubscribe_url
from education.emails.models import EmailDelivery, TriggerKind, WorkspaceEmailSettings
from education.workspaces.models import Workspace
from recommender.types import LearningPath, Recommendations

_LANGUAGES = {code for code, _name in settings.LANGUAGES}
_COLOR = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")
_DEFAULT_COLOR = "#2f5bea"
# One inliner for the process: the @media rules stay in a <style> tag for the clients
# that read it, everything else moves into style attributes.
_INLINER = css_inline.CSSInliner(keep_at_rules=True, load_remote_stylesheets=False, minify_css=True)


@dataclass(frozen=True)
class Branding:
    name: str
    color: str
    logo_url: str
    support_email: str


@dataclass(frozen=True)
class LessonItem:
    title: str
    summary: str
    duration_label: str
    reason: str
    url: str


def branding_of(workspace: Workspace) -> Branding:
    color = workspace.brand_color if _COLOR.match(workspace.brand_color or "") else _DEFAULT_COLOR
    logo = workspace.logo_url if workspace.logo_url.startswith("https://") else ""
    return Branding(workspace.display_name, color, logo, workspace.support_email)


def language_of(customer: Customer, workspace: Workspace) -> str:
    """The customer's language when Waypoint has it, else the workspace's."""
    for candidate in (customer.locale, workspace.default_locale):
        code = (candidate or "").replace("_", "-").split("-")[0].lower()
        if code in _LANGUAGES:
            return code
    return settings.LANGUAGE_CODE


def sender_of(email_settings: WorkspaceEmailSettings, workspace: Workspace) -> str:
    if email_settings.from_email:
        return email_settings.from_email
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return formataddr((workspace.display_name, address))


def message_id_for(delivery: EmailDelivery) -> str:
    """The same Message-ID on every attempt, so a provider or mailbox can drop a repeat."""
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    domain = address.rpartition("@")[2] or "waypoint.localhost"
    return f"<waypoint.{delivery.pk}.{delivery.customer.public_id.hex[:12]}@{domain}>"


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str
    unsubscribe_url: str


def _render(template: str, context: dict) -> tuple[str, str]:
    text = get_template(f"emails/{template}.txt").render(context)
    html = get_template(f"emails/{template}.html").render(context)
    return text, _INLINER.inline(html)


def _base_context(
    *, delivery: EmailDelivery, customer: Customer, brand: Branding, subject: str
) -> dict:
    return {
        "subject": subject,
        "brand": brand,
        "customer_name": customer.name.split(" ")[0] if customer.name else "",
        "language_code": translation.get_language(),
        "unsubscribe_url": unsubscribe_url(
            delivery_id=delivery.pk, customer_public_id=customer.public_id.hex
        ),
    }


def _lesson_item(
    *, delivery: EmailDelivery, customer: Customer, lesson: LessonPage, lesson_id: int, reason: str
) -> LessonItem:
    return LessonItem(
        title=lesson.title,
        summary=lesson.summary,
        duration_label=ngettext(
            "%(minutes)s minute", "%(minutes)s minutes", lesson.duration_minutes
        )
        % {"minutes": lesson.duration_minutes},
        reason=reason,
        url=lesson_link_url(
            delivery_id=delivery.pk, customer_public_id=customer.public_id.hex, lesson_id=lesson_id
        ),
    )


def digest_render(
    *,
    delivery: EmailDelivery,
    customer: Customer,
    recommendations: Recommendations,
    path: LearningPath | None,
) -> Rendered:
    """The digest: next lessons with their reason, then progress on the path."""
    brand = branding_of(delivery.workspace)
    with translation.override(language_of(customer, delivery.workspace)):
        subject = _("Your next lessons in %(brand)s") % {"brand": brand.name}
        context = _base_context(delivery=delivery, customer=customer, brand=brand, subject=subject)
        context["lessons"] = [
            _lesson_item(
                delivery=delivery,
                customer=customer,
                lesson=item.lesson,
                lesson_id=item.lesson_id,
                reason=item.reasons[0].label if item.reasons else "",
            )
            for item in recommendations.items
        ]
        context["path"] = _path_context(delivery=delivery, customer=customer, path=path)
        text, html = _render("digest", context)
    return Rendered(subject, text, html, context["unsubscribe_url"])


def _path_context(
    *, delivery: EmailDelivery, customer: Customer, path: LearningPath | None
) -> dict | None:
    if path is None or not path.steps:
        return None
    total = len(path.steps)
    step = next((step for step in path.steps if step.status == "next"), None)
    return {
        "title": path.title,
        "completed": path.completed_count,
        "total": total,
        "percent": round(100 * path.completed_count / total),
        "next_title": step.lesson.title if step else "",
        "next_url": lesson_link_url(
            delivery_id=delivery.pk,
            customer_public_id=customer.public_id.hex,
            lesson_id=step.lesson_id,
        )
        if step
        else "",
    }


def trigger_intro(kind: str, feature_name: str) -> str:
    """Why the customer gets this lesson, in the active language."""
    if kind == TriggerKind.ERROR_THRESHOLD:
        return _(
            "It looks like %(feature)s gave you some trouble. This short lesson shows how "
            "to get it right."
        ) % {"feature": feature_name}
    if kind == TriggerKind.FIRST_USE:
        return _(
            "You just started using %(feature)s. This short lesson helps you get the most "
            "out of it."
        ) % {"feature": feature_name}
    return _(
        "Thanks for getting in touch about %(feature)s. This short lesson may help right away."
    ) % {"feature": feature_name}


def trigger_render(
    *,
    delivery: EmailDelivery,
    customer: Customer,
    lesson: LessonPage,
    lesson_id: int,
    kind: str,
    feature_name: str,
) -> Rendered:
    """A triggered lesson: one lesson, and why it was sent."""
    brand = branding_of(delivery.workspace)
    with translation.override(language_of(customer, delivery.workspace)):
        subject = ngettext(
            "A %(minutes)s-minute lesson for you: %(title)s",
            "A %(minutes)s-minute lesson for you: %(title)s",
            lesson.duration_minutes,
        ) % {"minutes": lesson.duration_minutes, "title": lesson.title}
        context = _base_context(delivery=delivery, customer=customer, brand=brand, subject=subject)
        context["intro"] = trigger_intro(kind, feature_name)
        context["lesson"] = _lesson_item(
            delivery=delivery, customer=customer, lesson=lesson, lesson_id=lesson_id, reason=""
        )
        text, html = _render("triggered_lesson", context)
    return Rendered(subject, text, html, context["unsubscribe_url"])


def message_build(
    *,
    delivery: EmailDelivery,
    customer: Customer,
    rendered: Rendered,
    from_email: str,
    connection=None,
) -> EmailMultiAlternatives:
    """The message as handed to the backend, with RFC 8058 one-click unsubscribe."""
    unsubscribe = f"<{rendered.unsubscribe_url}>"
    if settings.EMAIL_UNSUBSCRIBE_MAILTO:
        unsubscribe += f", <mailto:{settings.EMAIL_UNSUBSCRIBE_MAILTO}?subject=unsubscribe>"
    headers = {
        "Message-ID": delivery.message_id,
        "List-Unsubscribe": unsubscribe,
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
    }
    message = EmailMultiAlternatives(
        subject=rendered.subject,
        body=rendered.text,
        from_email=from_email,
        to=[formataddr((customer.name, customer.email))],
        headers=headers,
        reply_to=[delivery.workspace.support_email] if delivery.workspace.support_email else None,
        connection=connection,
    )
    message.attach_alternative(rendered.html, "text/html")
    # django-anymail: lets provider webhooks (bounces, complaints) find the delivery.
    message.metadata = {"waypoint_delivery": str(delivery.pk)}
    message.tags = [delivery.campaign.split(":")[0]]
    message.track_clicks = False
    return message
