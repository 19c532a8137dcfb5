from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "education.progress"
    label = "progress"
    verbose_name = "Progress and feedback"
