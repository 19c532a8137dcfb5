"""The reports' admin URLs and their entries in the Reports menu (loaded by cms.wagtail_hooks)."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from cms.selectors import workspaces_of_user


class AuthorsMenuItem(MenuItem):
    """Shown to superusers and to authors of at least one workspace."""

    def is_shown(self, request):
        return workspaces_of_user(request.user).exists()


@hooks.register("register_admin_urls")
def register_report_urls():
    return [path("reports/", include("cms.reports.urls", namespace="cms_reports"))]


@hooks.register("register_reports_menu_item")
def register_lesson_performance_menu_item():
    return AuthorsMenuItem(
        "Lesson performance",
        reverse("cms_reports:lesson_performance"),
        name="lesson-performance",
        icon_name="pick",
        order=100,
    )


@hooks.register("register_reports_menu_item")
def register_path_dropoff_menu_item():
    return AuthorsMenuItem(
        "Path drop-off",
        reverse("cms_reports:path_dropoff"),
        name="path-drop-off",
        icon_name="list-ol",
        order=110,
    )
