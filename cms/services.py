"""Writes in the CMS: each workspace's learning hub and its authors' permissions."""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Locale, Page

from cms.models import LearningHubPage
from education.workspaces.models import Workspace

_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
# What an author may do beyond pages: (app label, permission codename).
AUTHOR_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    *[
        ("cms", f"{action}_{model}")
        for model in ("productfeature", "eventmapping")
        for action in ("add", "change", "delete", "view")
    ],
    *[("emails", f"{action}_emailtrigger") for action in ("add", "change", "delete", "view")],
    ("emails", "add_workspaceemailsettings"),
    ("emails", "change_workspaceemailsettings"),
    ("emails", "view_workspaceemailsettings"),
    ("emails", "view_emaildelivery"),
    ("recommender", "view_recommendermodel"),
]
_IMAGE_PERMISSIONS = ["add_image", "change_image", "choose_image"]


def _site_root(locale: Locale) -> Page:
    """The top page of the default site in ``locale`` (created on first use)."""
    default_root = Page.objects.filter(depth=2, locale=Locale.get_default()).first()
    if default_root is None:
        return Page.get_first_root_node()
    if locale == default_root.locale:
        return default_root
    translated = default_root.get_translation_or_none(locale)
    if translated is None:
        translated = default_root.copy_for_translation(locale)
        translated.save_revision().publish()
    return translated


def _authors_group(workspace: Workspace) -> Group:
    group, _ = Group.objects.get_or_create(name=f"{workspace.name} authors ({workspace.slug})")
    authors_group_permissions_sync(group=group)
    return group


def authors_group_permissions_sync(*, group: Group) -> None:
    """Give an authors group every author permission (idempotent; run after migrations)."""
    condition = Q(pk__in=[])
    for app_label, codename in AUTHOR_PERMISSIONS:
        condition |= Q(content_type__app_label=app_label, codename=codename)
    group.permissions.add(*Permission.objects.filter(condition))


def _grant_page_permissions(group: Group, page: Page) -> None:
    for permission in Permission.objects.filter(
        content_type__app_label="wagtailcore", codename__in=_PAGE_PERMISSIONS
    ):
        GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)


@transaction.atomic
def learning_hub_create(*, workspace: Workspace) -> LearningHubPage:
    """Create the workspace's hub in every content language, with its authors' group.

    Authors of the group may edit and publish below their hubs only, and upload images
    into the workspace's own collection.
    """
    default_locale = Locale.get_default()
    hub = LearningHubPage(
        title=f"{workspace.name} lessons", slug=workspace.slug, workspace=workspace
    )
    _site_root(default_locale).add_child(instance=hub)
    hub.save_revision().publish()

    group = _authors_group(workspace)
    _grant_page_permissions(group, hub)
    for language_code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        locale, _ = Locale.objects.get_or_create(language_code=language_code)
        if locale == default_locale:
            continue
        _site_root(locale)
        translated = hub.copy_for_translation(locale)
        translated.save_revision().publish()
        _grant_page_permissions(group, translated)

    collection = Collection.get_first_root_node().add_child(
        name=f"{workspace.name} ({workspace.slug})"
    )
    for permission in Permission.objects.filter(
        content_type__app_label="wagtailimages", codename__in=_IMAGE_PERMISSIONS
    ):
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=collection, permission=permission
        )
    workspace.authors_group = group
    workspace.save(update_fields=["authors_group"])
    return hub
