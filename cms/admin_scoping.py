"""Workspace scoping for admin views of models that belong to a workspace.

Wagtail's snippet views filter nothing by themselves: the listing is narrowed by
``get_queryset``, and every view that opens one row (edit, delete, history, usage,
inspect) answers 404 for a row of a workspace the user does not author for, exactly
as for a missing row. The permission policy applies the same rule to model permissions.
"""

from django.http import Http404
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from cms.models import ProductFeature
from cms.selectors import workspaces_of_user


def user_authors_workspace(user, workspace_id: int) -> bool:
    return workspaces_of_user(user).filter(pk=workspace_id).exists()


class WorkspaceScopedPermissionPolicy(ModelPermissionPolicy):
    """Model permissions, and on top of them: only rows of the user's own workspaces."""

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and user_authors_workspace(
            user, instance.workspace_id
        )

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(
            self.user_has_permission_for_instance(user, action, instance) for action in actions
        )


class OwnWorkspaceObjectMixin:
    """Opening another workspace's row by its URL answers 404, like a missing row."""

    def get_object(self, *args, **kwargs):
        instance = super().get_object(*args, **kwargs)
        if not user_authors_workspace(self.request.user, instance.workspace_id):
            raise Http404
        return instance


class ScopedEditView(OwnWorkspaceObjectMixin, snippet_views.EditView):
    pass


class ScopedDeleteView(OwnWorkspaceObjectMixin, snippet_views.DeleteView):
    pass


class ScopedHistoryView(OwnWorkspaceObjectMixin, snippet_views.HistoryView):
    pass


class ScopedUsageView(OwnWorkspaceObjectMixin, snippet_views.UsageView):
    pass


class ScopedInspectView(OwnWorkspaceObjectMixin, snippet_views.InspectView):
    pass


class WorkspaceScopedSnippetViewSet(SnippetViewSet):
    """Authors see, open and edit only their own workspaces' rows."""

    edit_view_class = ScopedEditView
    delete_view_class = ScopedDeleteView
    history_view_class = ScopedHistoryView
    usage_view_class = ScopedUsageView
    inspect_view_class = ScopedInspectView
    copy_view_enabled = False

    def get_queryset(self, request):
        return self.model.objects.filter(workspace__in=workspaces_of_user(request.user))

    def get_form_class(self, for_update=False):
        form_class = super().get_form_class(for_update)

        class ScopedForm(form_class):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                user = kwargs.get("for_user")
                if user is None:
                    return
                if "workspace" in self.fields:
                    self.fields["workspace"].queryset = workspaces_of_user(user)
                if "feature" in self.fields:
                    self.fields["feature"].queryset = ProductFeature.objects.filter(
                        workspace__in=workspaces_of_user(user)
                    )

        ScopedForm.__name__ = f"{self.model.__name__}ScopedForm"
        return ScopedForm
