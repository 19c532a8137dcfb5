from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_author_permissions(**_kwargs) -> None:
    """Authors groups made before a permission existed get it once migrations ran."""
    from cms.services import authors_group_permissions_sync
    from education.workspaces.models import Workspace

    for workspace in Workspace.objects.exclude(authors_group=None).select_related("authors_group"):
        authors_group_permissions_sync(group=workspace.authors_group)


class CmsConfig(AppConfig):
    name = "cms"
    label = "cms"
    verbose_name = "Lessons"

    def ready(self) -> None:
        post_migrate.connect(_sync_author_permissions, dispatch_uid="cms-author-permissions")
