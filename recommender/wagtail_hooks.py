"""The model registry in the Wagtail admin: its URLs and menu item."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from cms.selectors import workspaces_of_user
from recommender import admin_views

registry_urls = [
    path("models/", admin_views.ModelListView.as_view(), name="models"),
    path(
        "models/results/",
        admin_views.ModelListView.as_view(results_only=True),
        name="models_results",
    ),
    path("models/<int:pk>/", admin_views.ModelDetailView.as_view(), name="model"),
    path("models/<int:pk>/activate/", admin_views.ModelActivateView.as_view(), name="activate"),
    path("train/", admin_views.ModelTrainView.as_view(), name="train"),
]


class RegistryMenuItem(MenuItem):
    """Shown to superusers and to authors of at least one workspace."""

    def is_shown(self, request):
        return workspaces_of_user(request.user).exists()


@hooks.register("register_admin_urls")
def register_registry_urls():
    return [path("recommender/", include((registry_urls, "recommender_admin")))]


@hooks.register("register_admin_menu_item")
def register_registry_menu_item():
    return RegistryMenuItem(
        "Recommender models",
        reverse("recommender_admin:models"),
        name="recommender-models",
        icon_name="cogs",
        order=240,
    )
