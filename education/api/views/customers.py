"""Customer routes: the widget's (/api/v1/me/...) and the same for the product's backend
(/api/v1/customers/{customer_id}/...). One view class serves both; the route's scope
decides the credential (see ``education.api.tenancy``)."""

import math

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.response import Response

from cms.models import LessonPage
from education.api import serializers as io
from education.api.content import (
    UrlCache,
    features_prefetch,
    lesson_detail,
    lesson_summary,
    page_url,
)
from education.api.tenancy import Scope, TenantAPIView
from education.api.views.common import LESSON_ID, asks_for_fresh, int_query_parameter
from education.customers.services import customer_preferences_update
from education.errors import ApplicationError
from education.privacy.selectors import customer_export
from education.privacy.services import customer_erase
from education.progress import services as progress
from education.progress.models import LessonProgress
from education.progress.selectors import (
    customer_language,
    lesson_deliverable_get,
    page_translation,
    path_deliverable_get,
    progress_for,
    stable_page_ids,
)
from recommender.response_cache import served_document
from recommender.serving import learning_path, recommend_lessons

MAX_RECOMMENDATIONS = 50


class CustomerView(TenantAPIView):
    """A route about one customer: ``self.customer`` is set before the handler runs."""

    scopes = (Scope.ME, Scope.CUSTOMER)

    def lesson_get(self, lesson_id: int) -> LessonPage:
        lesson = lesson_deliverable_get(workspace=self.workspace, lesson_id=lesson_id)
        if lesson is None:
            raise ApplicationError(
                "No live lesson with this id in the workspace.",
                code="lesson_not_found",
                status_code=404,
            )
        return lesson

    @property
    def channel(self) -> str:
        return "widget" if self.scope == Scope.ME else "api"


def _customer_document(customer) -> dict:
    account = customer.account
    return {
        "id": customer.external_id,
        "email": customer.email,
        "name": customer.name,
        "locale": customer.locale,
        "timezone": customer.timezone,
        "plan": customer.plan,
        "account": (
            {"id": account.external_id, "name": account.name, "plan": account.plan}
            if account
            else None
        ),
        "traits": customer.traits,
        "personalisation_consent": customer.personalisation_consent,
        "email_consent": customer.email_consent,
        "created_at": customer.created_at,
        "last_seen_at": customer.last_seen_at,
    }


def _finite(value) -> float:
    # JSON has no NaN or infinity; a degenerate score must not break the response.
    value = float(value)
    return value if math.isfinite(value) else 0.0


def _reasons(reasons) -> list[dict]:
    return [{"kind": reason.kind, "label": reason.label} for reason in reasons]


def _progress_document(progress: LessonProgress) -> dict:
    return {
        "lesson_id": progress.lesson_id,
        "status": progress.status,
        "started_at": progress.started_at,
        "completed_at": progress.completed_at,
    }


class CustomerProfileView(CustomerView):
    """The customer's profile; DELETE erases the customer."""

    customer_optional_methods = ("DELETE",)

    @extend_schema(responses=io.CustomerSerializer, summary="The customer's profile")
    def get(self, request, **kwargs):
        return Response(_customer_document(self.customer))

    @extend_schema(
        responses={204: OpenApiResponse(description="Erased (also when nothing was held).")},
        summary="Erase the customer",
        description=(
            "Deletes the customer and every row that references them, removes them from "
            "the recommender's models, and suppresses their id so that their future events "
            "are not stored. Idempotent."
        ),
    )
    def delete(self, request, **kwargs):
        customer_erase(
            workspace=self.workspace,
            external_id=self.customer_external_id,
            requested_via="widget" if self.scope == Scope.ME else "api",
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class RecommendationsView(CustomerView):
    @extend_schema(
        parameters=[
            OpenApiParameter(
                "limit",
                {"type": "integer", "minimum": 1, "maximum": MAX_RECOMMENDATIONS, "default": 5},
                description="How many lessons (1-50).",
            )
        ],
        responses=io.RecommendationsSerializer,
        summary="The next lessons for the customer, with reasons",
    )
    def get(self, request, **kwargs):
        limit = int_query_parameter(
            request, "limit", default=5, minimum=1, maximum=MAX_RECOMMENDATIONS
        )
        return Response(
            served_document(
                workspace_id=self.workspace.pk,
                customer_id=self.customer_id,
                name=f"recommendations:{limit}",
                fresh=asks_for_fresh(request),
                build=lambda: self._document(limit),
            )
        )

    def _document(self, limit: int) -> dict:
        recommendations = recommend_lessons(customer=self.customer, n=limit)
        features_prefetch(item.lesson for item in recommendations.items)
        urls = UrlCache()
        return {
            "model_version": recommendations.model_version,
            "results": [
                {
                    "lesson": lesson_summary(item.lesson, item.lesson_id, urls),
                    "score": _finite(item.score),
                    "source": item.source,
                    "reasons": _reasons(item.reasons),
                }
                for item in recommendations.items
            ],
        }


class LearningPathView(CustomerView):
    @extend_schema(responses=io.LearningPathSerializer, summary="The customer's learning path")
    def get(self, request, **kwargs):
        # Served from the cache until the customer's progress, the catalogue or the model
        # changes; building it is where the enrolment is recorded, so a GET seldom writes.
        return Response(
            served_document(
                workspace_id=self.workspace.pk,
                customer_id=self.customer_id,
                name="path",
                fresh=asks_for_fresh(request),
                build=self._document,
            )
        )

    def _document(self) -> dict:
        path = learning_path(customer=self.customer)
        path_id = None
        if path.path is not None:  # a live path of the workspace (the recommender's pick)
            path_id = stable_page_ids([path.path])[path.path.pk]
            # Following a path keeps it stable while the customer works through it.
            progress.path_enrol(customer=self.customer, path_id=path_id)
        features_prefetch(step.lesson for step in path.steps)
        urls = UrlCache()
        return {
            "kind": path.kind,
            "title": path.title,
            "path_id": path_id,
            "model_version": path.model_version,
            "completed": path.completed_count,
            "total": len(path.steps),
            "steps": [
                {
                    "lesson": lesson_summary(step.lesson, step.lesson_id, urls),
                    "status": step.status,
                    "reasons": _reasons(step.reasons),
                }
                for step in path.steps
            ],
        }


class CustomerLessonView(CustomerView):
    @extend_schema(
        parameters=[LESSON_ID],
        responses=io.LessonDetailSerializer,
        summary="A lesson, in the customer's language, without quiz answers",
    )
    def get(self, request, lesson_id: int, **kwargs):
        lesson = self.lesson_get(lesson_id)
        page = page_translation(lesson, customer_language(self.customer))
        return Response(
            lesson_detail(page, lesson.pk, lesson.prerequisite_ids, reveal_answers=False)
        )


class ProgressListView(mixins.ListModelMixin, CustomerView):
    serializer_class = io.ProgressSerializer

    def get_queryset(self):
        return progress_for(customer=self.customer)

    @extend_schema(summary="The customer's lesson progress")
    def get(self, request, **kwargs):
        return self.list(request)


class LessonStartView(CustomerView):
    @extend_schema(
        parameters=[LESSON_ID],
        request=None,
        responses={200: io.ProgressSerializer},
        summary="Start a lesson",
    )
    def post(self, request, lesson_id: int, **kwargs):
        lesson = self.lesson_get(lesson_id)
        row = progress.lesson_start(customer=self.customer, lesson=lesson, channel=self.channel)
        return Response(_progress_document(row))


class LessonCompleteView(CustomerView):
    @extend_schema(
        parameters=[LESSON_ID],
        request=None,
        responses={200: io.ProgressSerializer},
        summary="Complete a lesson (idempotent)",
        description="Sends the lesson.completed webhook, and path.completed when it "
        "finishes the customer's path.",
    )
    def post(self, request, lesson_id: int, **kwargs):
        lesson = self.lesson_get(lesson_id)
        row = progress.lesson_complete(customer=self.customer, lesson=lesson, channel=self.channel)
        return Response(_progress_document(row))


class QuizAnswerView(CustomerView):
    @extend_schema(
        parameters=[
            LESSON_ID,
            OpenApiParameter(
                "block_id",
                {"type": "string", "pattern": "^[A-Za-z0-9-]{1,64}$"},
                OpenApiParameter.PATH,
                description="The quiz block's id.",
            ),
        ],
        request=io.QuizAnswerInputSerializer,
        responses={200: io.QuizResultSerializer},
        summary="Answer a quiz question (scored on the server)",
    )
    def post(self, request, lesson_id: int, block_id: str, **kwargs):
        lesson = self.lesson_get(lesson_id)
        data = _validated(io.QuizAnswerInputSerializer, request.data)
        result = progress.quiz_answer(
            customer=self.customer, lesson=lesson, block_id=block_id, answers=data["answers"]
        )
        return Response(
            {
                "correct": result.correct,
                "score": result.score,
                "correct_answers": result.correct_answers,
                "explanation": result.explanation,
            }
        )


class FeedbackView(CustomerView):
    @extend_schema(
        parameters=[LESSON_ID],
        request=io.FeedbackInputSerializer,
        responses={200: io.FeedbackSerializer},
        summary="Was this lesson helpful? How much effort did it take?",
    )
    def post(self, request, lesson_id: int, **kwargs):
        lesson = self.lesson_get(lesson_id)
        data = _validated(io.FeedbackInputSerializer, request.data)
        feedback = progress.feedback_record(customer=self.customer, lesson=lesson, **data)
        return Response(
            {
                "lesson_id": feedback.lesson_id,
                "helpful": feedback.helpful,
                "effort_score": feedback.effort_score,
                "comment": feedback.comment,
                "updated_at": feedback.updated_at,
            }
        )


class HelpRequestView(CustomerView):
    @extend_schema(
        parameters=[LESSON_ID],
        request=io.HelpInputSerializer,
        responses={202: io.HelpResultSerializer},
        summary="Still stuck: hand the context to the product's support",
        description="Sends the help.requested webhook with the same context.",
    )
    def post(self, request, lesson_id: int, **kwargs):
        lesson = self.lesson_get(lesson_id)
        data = _validated(io.HelpInputSerializer, request.data)
        path = None
        if data.get("path_id"):
            path = path_deliverable_get(workspace=self.workspace, path_id=data["path_id"])
            if path is None:
                raise ApplicationError(
                    "No live path with this id in the workspace.", code="path_not_found"
                )
        context = progress.help_request(
            customer=self.customer,
            lesson=lesson,
            path=path,
            message=data.get("message", ""),
            lesson_url=page_url(page_translation(lesson, customer_language(self.customer))),
        )
        return Response({"status": "sent", "context": context}, status=status.HTTP_202_ACCEPTED)


class PreferencesView(CustomerView):
    def _document(self) -> dict:
        return {
            "personalisation_consent": self.customer.personalisation_consent,
            "email_consent": self.customer.email_consent,
        }

    @extend_schema(responses=io.PreferencesSerializer, summary="The customer's consents")
    def get(self, request, **kwargs):
        return Response(self._document())

    @extend_schema(
        request=io.PreferencesSerializer,
        responses=io.PreferencesSerializer,
        summary="Change the customer's consents (other fields are ignored)",
    )
    def patch(self, request, **kwargs):
        data = _validated(io.PreferencesSerializer, request.data)
        self.customer = customer_preferences_update(customer=self.customer, **data)
        return Response(self._document())


class ExportView(CustomerView):
    @extend_schema(
        responses=io.ExportSerializer,
        summary="Everything held about the customer, as one JSON document",
    )
    def get(self, request, **kwargs):
        return Response(customer_export(customer=self.customer))


def _validated(serializer_class: type[serializers.Serializer], data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)
