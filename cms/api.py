"""The Wagtail content API, for authors and integrations signed in to the admin.

Pages hold quiz answers, so the API is not public: it needs an admin session and lists
only the workspaces the user authors for. Customers read lessons through /api/v1/.
"""

from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import BasePermission
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.models import Page

from cms.models import LearningHubPage
from cms.selectors import workspaces_of_user


class CanAccessAdmin(BasePermission):
    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm("wagtailadmin.access_admin"))


class AuthorPagesAPIViewSet(PagesAPIViewSet):
    authentication_classes = [SessionAuthentication]
    permission_classes = [CanAccessAdmin]

    def get_base_queryset(self):
        queryset = super().get_base_queryset()
        if self.request.user.is_superuser:
            return queryset
        hub_paths = LearningHubPage.objects.filter(
            workspace__in=workspaces_of_user(self.request.user)
        ).values_list("path", flat=True)
        allowed = Page.objects.none()
        for path in hub_paths:
            allowed = allowed | queryset.filter(path__startswith=path)
        return allowed


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", AuthorPagesAPIViewSet)
