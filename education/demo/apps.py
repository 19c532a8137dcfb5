from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "education.demo"
    label = "demo"
    verbose_name = "Demo workspace"
