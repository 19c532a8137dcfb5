"""Workspace routes for the product's backend (secret key): content, models, webhooks,
rejected events."""

from django.db import transaction
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status
from rest_framework.response import Response

from education.api import serializers as io
from education.api.content import (
    features_prefetch,
    lesson_detail,
    lesson_summary,
    path_summary,
)
from education.api.tenancy import TenantAPIView
from education.api.views.common import LESSON_ID, id_parameter
from education.errors import ApplicationError
from education.events.selectors import rejected_events_for
from education.progress.selectors import (
    lesson_deliverable_get,
    lessons_deliverable,
    path_deliverable_get,
    path_lesson_ids,
    paths_deliverable,
    paths_lesson_ids,
)
from education.webhooks import services as webhooks
from education.webhooks.selectors import webhook_endpoints_for

PATH_ID = id_parameter("path_id", "The path's stable id.")
WEBHOOK_ID = id_parameter("webhook_id", "The webhook endpoint's id.")
VERSION = OpenApiParameter(
    "version",
    {"type": "string", "pattern": "^[^/]{1,40}$"},
    OpenApiParameter.PATH,
    description="The model's version.",
)


class LessonListView(mixins.ListModelMixin, TenantAPIView):
    serializer_class = io.LessonSummarySerializer

    def get_queryset(self):
        return lessons_deliverable(workspace=self.workspace).order_by("path")

    @extend_schema(summary="The workspace's live lessons")
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        features_prefetch(page)
        return self.get_paginated_response([lesson_summary(lesson, lesson.pk) for lesson in page])


class LessonDetailView(TenantAPIView):
    @extend_schema(
        parameters=[LESSON_ID],
        responses=io.LessonDetailSerializer,
        summary="A lesson with its quiz answers (server side only)",
    )
    def get(self, request, lesson_id: int):
        lesson = lesson_deliverable_get(workspace=self.workspace, lesson_id=lesson_id)
        if lesson is None:
            raise ApplicationError(
                "No live lesson with this id.", code="lesson_not_found", status_code=404
            )
        return Response(
            lesson_detail(lesson, lesson.pk, lesson.prerequisite_ids, reveal_answers=True)
        )


class PathListView(mixins.ListModelMixin, TenantAPIView):
    serializer_class = io.PathSerializer

    def get_queryset(self):
        return paths_deliverable(workspace=self.workspace).order_by("path")

    @extend_schema(summary="The workspace's live learning paths")
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        lesson_ids = paths_lesson_ids(paths=page)
        return self.get_paginated_response(
            [path_summary(path, path.pk, lesson_ids[path.pk]) for path in page]
        )


class PathDetailView(TenantAPIView):
    @extend_schema(
        parameters=[PATH_ID], responses=io.PathDetailSerializer, summary="A learning path"
    )
    def get(self, request, path_id: int):
        path = path_deliverable_get(workspace=self.workspace, path_id=path_id)
        if path is None:
            raise ApplicationError(
                "No live path with this id.", code="path_not_found", status_code=404
            )
        lesson_ids = path_lesson_ids(path=path)
        lessons = {
            lesson.pk: lesson
            for lesson in lessons_deliverable(workspace=self.workspace).filter(pk__in=lesson_ids)
        }
        features_prefetch(lessons.values())
        return Response(
            {
                **path_summary(path, path.pk, lesson_ids),
                "lessons": [lesson_summary(lessons[i], i) for i in lesson_ids if i in lessons],
            }
        )


def _model_document(model) -> dict:
    return {
        "version": model.version,
        "algorithm": model.algorithm,
        "hyperparameters": model.hyperparameters,
        "metrics": model.metrics,
        "status": model.status,
        "decision": model.decision,
        "forced": model.forced,
        "sizes": {
            "customers": model.n_customers,
            "columns": model.n_columns,
            "lessons": model.n_lessons,
            "interactions": model.n_interactions,
        },
        "data_from": model.data_from,
        "data_until": model.data_until,
        "created_at": model.created_at,
        "created_by": model.created_by,
        "activated_at": model.activated_at,
    }


class ModelListView(mixins.ListModelMixin, TenantAPIView):
    serializer_class = io.ModelSerializer

    def get_queryset(self):
        from recommender.selectors import models_for

        return models_for(self.workspace).order_by("-created_at", "-pk")

    @extend_schema(summary="The workspace's recommender models")
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response([_model_document(model) for model in page])


class ModelTrainView(TenantAPIView):
    @extend_schema(
        request=io.TrainInputSerializer,
        responses={
            202: io.TrainQueuedSerializer,
            409: OpenApiResponse(io.ErrorSerializer, description="No usage data to train on."),
        },
        summary="Train a new model (activated if it beats the active one, or with force)",
    )
    def post(self, request):
        serializer = io.TrainInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        from recommender.tasks import train_recommender_task

        workspace_id, force = self.workspace.pk, serializer.validated_data["force"]
        transaction.on_commit(
            lambda: train_recommender_task.delay(workspace_id, force=force, created_by="api")
        )
        return Response({"status": "queued"}, status=status.HTTP_202_ACCEPTED)


class ModelActivateView(TenantAPIView):
    @extend_schema(
        parameters=[VERSION],
        request=None,
        responses={200: io.ModelSerializer},
        summary="Make a model the one that serves",
    )
    def post(self, request, version: str):
        from recommender.selectors import models_for
        from recommender.services import model_activate

        model = models_for(self.workspace).filter(version=version).first()
        if model is None:
            raise ApplicationError(
                "No model with this version.", code="model_not_found", status_code=404
            )
        return Response(_model_document(model_activate(model=model)))


def _endpoint_document(endpoint) -> dict:
    return {
        "id": endpoint.pk,
        "url": endpoint.url,
        "events": endpoint.events,
        "active": endpoint.active,
        "description": endpoint.description,
        "created_at": endpoint.created_at,
        "updated_at": endpoint.updated_at,
    }


class WebhookEndpointListView(mixins.ListModelMixin, TenantAPIView):
    serializer_class = io.WebhookEndpointSerializer

    def get_queryset(self):
        return webhook_endpoints_for(workspace=self.workspace)

    @extend_schema(summary="The workspace's webhook endpoints")
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response([_endpoint_document(e) for e in page])

    @extend_schema(
        request=io.WebhookEndpointInputSerializer,
        responses={201: io.WebhookEndpointSerializer},
        summary="Add a webhook endpoint",
    )
    def post(self, request):
        serializer = io.WebhookEndpointInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        endpoint = webhooks.webhook_endpoint_create(
            workspace=self.workspace, **serializer.validated_data
        )
        return Response(_endpoint_document(endpoint), status=status.HTTP_201_CREATED)


class WebhookEndpointDetailView(TenantAPIView):
    def _endpoint(self, webhook_id: int):
        endpoint = webhook_endpoints_for(workspace=self.workspace).filter(pk=webhook_id).first()
        if endpoint is None:
            raise ApplicationError(
                "No webhook endpoint with this id.", code="webhook_not_found", status_code=404
            )
        return endpoint

    @extend_schema(parameters=[WEBHOOK_ID], responses=io.WebhookEndpointSerializer)
    def get(self, request, webhook_id: int):
        return Response(_endpoint_document(self._endpoint(webhook_id)))

    @extend_schema(
        parameters=[WEBHOOK_ID],
        request=io.WebhookEndpointInputSerializer(partial=True),
        responses=io.WebhookEndpointSerializer,
    )
    def patch(self, request, webhook_id: int):
        endpoint = self._endpoint(webhook_id)
        serializer = io.WebhookEndpointInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = {key: value for key, value in serializer.validated_data.items()}
        endpoint = webhooks.webhook_endpoint_update(endpoint=endpoint, **data)
        return Response(_endpoint_document(endpoint))

    @extend_schema(parameters=[WEBHOOK_ID], responses={204: None})
    def delete(self, request, webhook_id: int):
        webhooks.webhook_endpoint_delete(endpoint=self._endpoint(webhook_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class RejectedEventListView(mixins.ListModelMixin, TenantAPIView):
    serializer_class = io.RejectedEventSerializer

    def get_queryset(self):
        return rejected_events_for(self.workspace)

    @extend_schema(summary="Payloads that failed validation at ingestion, newest first")
    def get(self, request):
        return self.list(request)
