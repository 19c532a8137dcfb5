from django.apps import AppConfig


class WorkspacesConfig(AppConfig):
    name = "education.workspaces"
    label = "workspaces"
    verbose_name = "Workspaces"
