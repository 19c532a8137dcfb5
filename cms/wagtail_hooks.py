"""Admin registration: snippets scoped to the author's workspaces."""

from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from cms.admin_scoping import WorkspaceScopedPermissionPolicy, WorkspaceScopedSnippetViewSet
from cms.models import EventMapping, ProductFeature


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


register_permission_policy(ProductFeature, WorkspaceScopedPermissionPolicy(ProductFeature))
register_permission_policy(EventMapping, WorkspaceScopedPermissionPolicy(EventMapping))
register_snippet(ProductFeatureViewSet)
register_snippet(EventMappingViewSet)

# The authors' reports register their own admin URLs and menu items.
import cms.reports.hooks  # noqa: E402, F401
