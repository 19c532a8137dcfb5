"""Admin: rejected events (read-only, scoped to the author's workspaces) and the hooks that
remap history when authors change event mappings or product features."""

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from wagtail import hooks
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from cms.models import EventMapping, ProductFeature
from cms.selectors import workspaces_of_user
from education.events.models import RejectedEvent
from education.events.selectors import rejected_events_for_workspaces
from education.events.services import event_mappings_changed


class RejectedEventPermissionPolicy(BasePermissionPolicy):
    """Authors may look at their workspaces' rejected events; nobody edits them here."""

    def user_has_permission(self, user, action):
        return action == "view" and user.is_active and workspaces_of_user(user).exists()

    def user_has_permission_for_instance(self, user, action, instance):
        return (
            action == "view"
            and user.is_active
            and workspaces_of_user(user).filter(pk=instance.workspace_id).exists()
        )

    def instances_user_has_any_permission_for(self, user, actions):
        if "view" not in actions or not user.is_active:
            return self.model._default_manager.none()
        return rejected_events_for_workspaces(workspaces_of_user(user))

    def users_with_any_permission(self, actions):
        return get_user_model().objects.none()


register_permission_policy(RejectedEvent, RejectedEventPermissionPolicy(RejectedEvent))


class RejectedEventIndexView(IndexView):
    def get_base_queryset(self):
        return rejected_events_for_workspaces(workspaces_of_user(self.request.user))


class RejectedEventInspectView(InspectView):
    def get_object(self, queryset=None):
        # Wagtail's own lookup is by primary key alone; this one stays in the workspaces.
        return get_object_or_404(
            rejected_events_for_workspaces(workspaces_of_user(self.request.user)),
            pk=self.pk,
        )


class RejectedEventViewSet(ModelViewSet):
    model = RejectedEvent
    icon = "warning"
    menu_label = "Rejected events"
    menu_order = 230
    add_to_admin_menu = True
    copy_view_enabled = False
    index_view_class = RejectedEventIndexView
    inspect_view_enabled = True
    inspect_view_class = RejectedEventInspectView
    inspect_view_fields = ["workspace", "received_at", "message_id", "reason", "payload", "raw"]
    list_display = ["reason", "message_id", "workspace", "received_at"]
    form_fields = ["reason"]  # required by ModelViewSet; the policy forbids add and edit


@hooks.register("register_admin_viewset")
def register_rejected_events_viewset():
    return RejectedEventViewSet("rejected_events")


def _mappings_changed(instances) -> None:
    for workspace_id in {
        instance.workspace_id
        for instance in instances
        if isinstance(instance, EventMapping | ProductFeature)
    }:
        event_mappings_changed(workspace_id=workspace_id)


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def _snippet_saved(request, instance):
    _mappings_changed([instance])


@hooks.register("after_delete_snippet")
def _snippets_deleted(request, instances):
    _mappings_changed(instances)
