"""Routes of the delivery REST API (``/api/...``).

Customer routes are declared once and mounted twice: under ``v1/me/`` for a customer
token and under ``v1/customers/<customer_id>/`` for the secret key.
"""

from django.urls import path, re_path, register_converter
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from education.api.tenancy import Scope
from education.api.views import customers, workspace
from education.errors import error_response


class IdConverter:
    """Positive ids that fit a 64-bit column (a longer number is simply not found)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "id")

# (suffix, view): the suffix after "me" or "customers/<customer_id>".
CUSTOMER_ROUTES = [
    ("", customers.CustomerProfileView),
    ("/recommendations", customers.RecommendationsView),
    ("/path", customers.LearningPathView),
    ("/progress", customers.ProgressListView),
    ("/lessons/<id:lesson_id>", customers.CustomerLessonView),
    ("/lessons/<id:lesson_id>/start", customers.LessonStartView),
    ("/lessons/<id:lesson_id>/complete", customers.LessonCompleteView),
    ("/lessons/<id:lesson_id>/quiz/<str:block_id>", customers.QuizAnswerView),
    ("/lessons/<id:lesson_id>/feedback", customers.FeedbackView),
    ("/lessons/<id:lesson_id>/help", customers.HelpRequestView),
    ("/preferences", customers.PreferencesView),
    ("/export", customers.ExportView),
]

WORKSPACE_ROUTES = [
    ("lessons", workspace.LessonListView),
    ("lessons/<id:lesson_id>", workspace.LessonDetailView),
    ("paths", workspace.PathListView),
    ("paths/<id:path_id>", workspace.PathDetailView),
    ("models", workspace.ModelListView),
    ("models/train", workspace.ModelTrainView),
    ("models/<str:version>/activate", workspace.ModelActivateView),
    ("webhooks", workspace.WebhookEndpointListView),
    ("webhooks/<id:webhook_id>", workspace.WebhookEndpointDetailView),
    ("rejected-events", workspace.RejectedEventListView),
]


def _route_name(view) -> str:
    return view.__name__.removesuffix("View").lower()


def api_not_found(request, *args, **kwargs):
    return error_response("not_found", "No such API route.", 404)


v1 = (
    [
        path(f"v1/me{suffix}", view.as_view(scope=Scope.ME), name=f"me-{_route_name(view)}")
        for suffix, view in CUSTOMER_ROUTES
    ]
    + [
        path(
            f"v1/customers/<str:customer_id>{suffix}",
            view.as_view(scope=Scope.CUSTOMER),
            name=f"customer-{_route_name(view)}",
        )
        for suffix, view in CUSTOMER_ROUTES
    ]
    + [
        path(f"v1/{route}", view.as_view(scope=Scope.SERVER), name=_route_name(view))
        for route, view in WORKSPACE_ROUTES
    ]
)

app_name = "api"
urlpatterns = v1 + [
    path(
        "schema/",
        SpectacularAPIView.as_view(urlconf="education.api.schema_urls"),
        name="schema",
    ),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("docs/redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    # Anything else under /api/ answers in the API's error shape, not with an HTML page.
    re_path(r"^.*$", api_not_found, name="not-found"),
]
