"""Admin registration: snippets scoped to the author's workspaces."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from cms.models import EventMapping, ProductFeature
from cms.selectors import workspaces_of_user


class WorkspaceScopedSnippetViewSet(SnippetViewSet):
    """Authors see and edit only their own workspaces' rows."""

    def get_queryset(self, request):
        return self.model.objects.filter(workspace__in=workspaces_of_user(request.user))

    def get_form_class(self, for_update=False):
        form_class = super().get_form_class(for_update)
        viewset = self

        class ScopedForm(form_class):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                user = kwargs.get("for_user")
                if user is not None and "workspace" in self.fields:
                    self.fields["workspace"].queryset = workspaces_of_user(user)
                if user is not None and "feature" in self.fields:
                    self.fields["feature"].queryset = ProductFeature.objects.filter(
                        workspace__in=workspaces_of_user(user)
                    )

        ScopedForm.__name__ = f"{viewset.model.__name__}ScopedForm"
        return ScopedForm


class ProductFeatureViewSet(WorkspaceScopedSnippetViewSet):
    model = ProductFeature
    icon = "tag"
    menu_label = "Product features"
    list_display = ["name", "key", "workspace"]
    list_filter = ["workspace"]
    search_fields = ["name", "key"]
    add_to_admin_menu = True
    menu_order = 210


class EventMappingViewSet(WorkspaceScopedSnippetViewSet):
    model = EventMapping
    icon = "resubmit"
    menu_label = "Event mappings"
    list_display = ["event_name", "feature", "kind", "weight", "workspace"]
    list_filter = ["workspace", "kind"]
    search_fields = ["event_name"]
    add_to_admin_menu = True
    menu_order = 220


register_snippet(ProductFeatureViewSet)
register_snippet(EventMappingViewSet)

# The authors' reports register their own admin URLs and menu items.
import cms.reports.hooks  # noqa: E402, F401
