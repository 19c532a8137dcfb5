"""The widget's demo: a fake product page ("Ledgerly") with the widget embedded.

It does on the server what a product's backend does: read its publishable key, mint a
short-lived customer token with the workspace signing secret, and render the script tag.
Off unless ``WIDGET_DEMO_ENABLED`` (default: ``DEBUG``), since it hands out tokens for the
demo workspace's customers to anyone who opens it.
"""

from datetime import timedelta

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from education.widget.selectors import (
    DEMO_WORKSPACE_SLUG,
    demo_customer_get,
    demo_customers,
    demo_workspace_get,
    workspace_current_signing_secret,
    workspace_publishable_key,
)
from education.widget.tokens import customer_token_mint

DEMO_TOKEN_LIFETIME = timedelta(hours=1)


def demo_enabled() -> bool:
    return bool(getattr(settings, "WIDGET_DEMO_ENABLED", settings.DEBUG))


@require_GET
def demo_page(request: HttpRequest) -> HttpResponse:
    if not demo_enabled():
        raise Http404("The widget demo is not enabled.")
    context: dict = {"workspace_slug": DEMO_WORKSPACE_SLUG, "problem": ""}
    status = 200
    workspace = demo_workspace_get()
    publishable_key = workspace and workspace_publishable_key(workspace)
    signing_secret = workspace and workspace_current_signing_secret(workspace)
    requested = request.GET.get("customer", "").strip()[:255]
    customer = workspace and demo_customer_get(workspace, external_id=requested)
    if workspace is None:
        context["problem"] = "missing_workspace"
        status = 503
    elif not publishable_key or not signing_secret:
        context["problem"] = "missing_keys"
        status = 503
    elif customer is None:
        context["problem"] = "unknown_customer" if requested else "no_customers"
        context["requested_customer"] = requested
        status = 404 if requested else 503
    else:
        context.update(
            publishable_key=publishable_key,
            customer_token=customer_token_mint(
                signing_secret=signing_secret,
                external_id=customer.external_id,
                lifetime=DEMO_TOKEN_LIFETIME,
            ),
            customer=customer,
            locale=customer.locale or workspace.default_locale or "en",
        )
    if workspace is not None:
        context["workspace"] = workspace
        context["customers"] = demo_customers(workspace)
    response = render(request, "widget/demo.html", context, status=status)
    # The page carries a customer token: never cache it or let it be indexed.
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
