"""Reads about trained models."""

from django.db.models import QuerySet

from education.workspaces.models import Workspace
from recommender.models import ModelStatus, RecommenderModel


def models_for(workspace: Workspace) -> QuerySet[RecommenderModel]:
    return RecommenderModel.objects.filter(workspace=workspace)


def active_model_record(workspace: Workspace) -> RecommenderModel | None:
    return models_for(workspace).filter(status=ModelStatus.ACTIVE).first()
