"""Celery tasks of ingestion: thin wrappers that take ids and call a service."""

from celery import shared_task

from education.events.services import usage_events_remap
from education.workspaces.models import Workspace


@shared_task(acks_late=True)
def remap_usage_events(workspace_id: int) -> int:
    """Re-apply a workspace's event mappings to its history (idempotent)."""
    workspace = Workspace.objects.filter(pk=workspace_id).first()
    if workspace is None:
        return 0
    return usage_events_remap(workspace=workspace)
