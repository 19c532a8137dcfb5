"""Links in emails: lesson clicks and one-click unsubscribe (RFC 8058)."""

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from education.emails.links import InvalidLink, unsubscribe_link_parse
from education.emails.services import (
    LessonUnavailable,
    email_lesson_link_follow,
    email_unsubscribe,
)


def _invalid(request: HttpRequest) -> HttpResponse:
    return render(request, "emails/pages/link_invalid.html", status=400)


@never_cache
@require_http_methods(["GET", "HEAD"])
def lesson_link(request: HttpRequest, token: str) -> HttpResponse:
    try:
        destination = email_lesson_link_follow(token=token)
    except InvalidLink:
        return _invalid(request)
    except LessonUnavailable:
        return render(request, "emails/pages/lesson_unavailable.html", status=410)
    return HttpResponseRedirect(destination)


@csrf_exempt  # RFC 8058: mail providers POST without cookies or a CSRF token.
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a confirmation with a button (link scanners must not unsubscribe anyone);
    POST, from that button or a mail provider's one-click, unsubscribes."""
    try:
        if request.method == "POST":
            email_unsubscribe(token=token)
            return render(request, "emails/pages/unsubscribed.html")
        unsubscribe_link_parse(token)
    except InvalidLink:
        return _invalid(request)
    return render(request, "emails/pages/unsubscribe_confirm.html")
