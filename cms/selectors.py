"""Reads from the CMS. Only live pages are ever delivered to customers."""

from django.db.models import Q, QuerySet
from wagtail.models import Locale

from cms.models import LearningHubPage, LearningPathPage, LessonPage, ProductFeature
from education.workspaces.models import Workspace


def _under_hubs(workspace: Workspace) -> Q:
    paths = LearningHubPage.objects.filter(workspace=workspace).values_list("path", flat=True)
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(path__startswith=path)
    return condition


def lessons_live(*, workspace: Workspace, locale: str | None = None) -> QuerySet[LessonPage]:
    """The workspace's published lessons (in one locale when ``locale`` is given)."""
    lessons = LessonPage.objects.live().filter(_under_hubs(workspace))
    if locale:
        lessons = lessons.filter(locale__language_code=locale)
    return lessons


def paths_live(*, workspace: Workspace, locale: str | None = None) -> QuerySet[LearningPathPage]:
    paths = LearningPathPage.objects.live().filter(_under_hubs(workspace))
    if locale:
        paths = paths.filter(locale__language_code=locale)
    return paths


def default_locale_code() -> str:
    return Locale.get_default().language_code


def features_for_workspace(*, workspace: Workspace) -> QuerySet[ProductFeature]:
    return ProductFeature.objects.filter(workspace=workspace)


def workspaces_of_user(user) -> QuerySet[Workspace]:
    """Workspaces an admin user authors for (all of them for superusers)."""
    if user.is_superuser:
        return Workspace.objects.all()
    return Workspace.objects.filter(authors_group__in=user.groups.all())
