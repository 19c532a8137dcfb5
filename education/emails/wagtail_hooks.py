"""Admin: email settings, triggers (authors' own workspaces) and a read-only delivery log."""

from django.contrib.admin.utils import unquote
from django.http import Http404
from django.shortcuts import get_object_or_404
from wagtail import hooks
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import snippets as snippet_views

from cms.models import LessonPage, ProductFeature
from cms.selectors import default_locale_code, lessons_live, workspaces_of_user
from cms.wagtail_hooks import WorkspaceScopedSnippetViewSet
from education.emails.models import EmailDelivery, EmailTrigger, WorkspaceEmailSettings


class WorkspaceScopedPermissionPolicy(ModelPermissionPolicy):
    """Model permissions, and on top of them: only rows of the user's own workspaces."""

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and (
            workspaces_of_user(user).filter(pk=instance.workspace_id).exists()
        )

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(
            self.user_has_permission_for_instance(user, action, instance) for action in actions
        )


class ReadOnlyPermissionPolicy(WorkspaceScopedPermissionPolicy):
    """Deliveries are a log: people look, only the system writes."""

    def user_has_permission(self, user, action):
        if action in {"add", "change", "delete"}:
            return False
        return user.is_active and (user.is_superuser or super().user_has_permission(user, action))

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class _OwnWorkspaceObjectMixin:
    """Opening another workspace's row by its URL answers 404, like a missing row."""

    def get_object(self, queryset=None):
        instance = super().get_object(queryset)
        if not workspaces_of_user(self.request.user).filter(pk=instance.workspace_id).exists():
            raise Http404
        return instance


class _ScopedEditView(_OwnWorkspaceObjectMixin, snippet_views.EditView):
    pass


class _ScopedDeleteView(_OwnWorkspaceObjectMixin, snippet_views.DeleteView):
    pass


class _ScopedHistoryView(_OwnWorkspaceObjectMixin, snippet_views.HistoryView):
    pass


class _ScopedUsageView(_OwnWorkspaceObjectMixin, snippet_views.UsageView):
    pass


class _ScopedInspectView(_OwnWorkspaceObjectMixin, snippet_views.InspectView):
    pass


class _EmailSnippetViewSet(WorkspaceScopedSnippetViewSet):
    edit_view_class = _ScopedEditView
    delete_view_class = _ScopedDeleteView
    history_view_class = _ScopedHistoryView
    usage_view_class = _ScopedUsageView
    inspect_view_class = _ScopedInspectView
    copy_view_enabled = False


class EmailSettingsViewSet(_EmailSnippetViewSet):
    model = WorkspaceEmailSettings
    icon = "cog"
    menu_label = "Email settings"
    list_display = ["workspace", "digest_enabled", "digest_frequency_days", "send_hour"]
    add_to_admin_menu = True
    menu_order = 230


class EmailTriggerViewSet(_EmailSnippetViewSet):
    model = EmailTrigger
    icon = "mail"
    menu_label = "Email triggers"
    list_display = ["name", "kind", "feature", "lesson", "active", "workspace"]
    list_filter = ["workspace", "kind", "active"]
    search_fields = ["name"]
    add_to_admin_menu = True
    menu_order = 240

    def get_form_class(self, for_update=False):
        form_class = super().get_form_class(for_update)

        class EmailTriggerForm(form_class):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                user = kwargs.get("for_user")
                if user is None:
                    return
                workspaces = workspaces_of_user(user)
                self.fields["feature"].queryset = ProductFeature.objects.filter(
                    workspace__in=workspaces
                )
                lesson_ids: set[int] = set()
                for workspace in workspaces:
                    lesson_ids |= set(
                        lessons_live(workspace=workspace, locale=default_locale_code()).values_list(
                            "pk", flat=True
                        )
                    )
                self.fields["lesson"].queryset = LessonPage.objects.filter(pk__in=lesson_ids)

        return EmailTriggerForm


def _deliveries_of(user):
    return EmailDelivery.objects.filter(workspace__in=workspaces_of_user(user))


class DeliveryIndexView(IndexView):
    def get_base_queryset(self):
        return _deliveries_of(self.request.user).select_related("customer", "workspace")


class DeliveryInspectView(InspectView):
    def get_object(self, queryset=None):
        return get_object_or_404(_deliveries_of(self.request.user), pk=unquote(str(self.pk)))


class EmailDeliveryViewSet(ModelViewSet):
    model = EmailDelivery
    icon = "list-ul"
    menu_label = "Email deliveries"
    add_to_admin_menu = True
    menu_order = 250
    index_view_class = DeliveryIndexView
    inspect_view_class = DeliveryInspectView
    copy_view_enabled = False
    inspect_view_enabled = True
    list_display = ["customer", "campaign", "period", "status", "reason", "created_at", "sent_at"]
    list_filter = ["status", "campaign"]
    search_fields = ["campaign", "reason", "message_id"]
    inspect_view_fields = [
        "workspace",
        "customer",
        "campaign",
        "period",
        "status",
        "reason",
        "attempts",
        "message_id",
        "provider_message_id",
        "lesson_ids",
        "created_at",
        "claimed_at",
        "sent_at",
    ]
    form_fields = ["status"]


register_permission_policy(EmailDelivery, ReadOnlyPermissionPolicy(EmailDelivery))
register_permission_policy(EmailTrigger, WorkspaceScopedPermissionPolicy(EmailTrigger))
register_permission_policy(
    WorkspaceEmailSettings, WorkspaceScopedPermissionPolicy(WorkspaceEmailSettings)
)
register_snippet(EmailSettingsViewSet)
register_snippet(EmailTriggerViewSet)


@hooks.register("register_admin_viewset")
def register_email_deliveries():
    return EmailDeliveryViewSet("email_deliveries")
