"""Admin: email settings, triggers (authors' own workspaces) and a read-only delivery log."""

from django.contrib.admin.utils import unquote
from django.shortcuts import get_object_or_404
from wagtail import hooks
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from cms.admin_scoping import WorkspaceScopedPermissionPolicy, WorkspaceScopedSnippetViewSet
from cms.models import LessonPage, ProductFeature
from cms.selectors import default_locale_code, lessons_live, workspaces_of_user
from education.emails.models import EmailDelivery, EmailTrigger, WorkspaceEmailSettings


class ReadOnlyPermissionPolicy(WorkspaceScopedPermissionPolicy):
    """Deliveries are a log: people look, only the system writes."""

    def user_has_permission(self, user, action):
        if action in {"add", "change", "delete"}:
            return False
        return user.is_active and (user.is_superuser or super().user_has_permission(user, action))

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class EmailSettingsViewSet(WorkspaceScopedSnippetViewSet):
    model = WorkspaceEmailSettings
    icon = "cog"
    menu_label = "Email settings"
    list_display = ["workspace", "digest_enabled", "digest_frequency_days", "send_hour"]
    add_to_admin_menu = True
    menu_order = 230


class EmailTriggerViewSet(WorkspaceScopedSnippetViewSet):
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
