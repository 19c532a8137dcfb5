"""Celery tasks: training, one workspace or all of them on a schedule."""

from celery import shared_task

from education.workspaces.models import Workspace
from recommender.services import model_train


@shared_task(name="recommender.train", acks_late=True)
def train_recommender_task(workspace_id: int, *, force: bool = False, created_by: str = "task"):
    workspace = Workspace.objects.filter(pk=workspace_id).first()
    if workspace is None:
        return None
    return model_train(workspace=workspace, force=force, created_by=created_by).version


@shared_task(name="recommender.retrain_all")
def retrain_all_task():
    """Scheduled by Celery beat: one training task per workspace."""
    for workspace_id in Workspace.objects.values_list("pk", flat=True):
        train_recommender_task.delay(workspace_id, created_by="schedule")
