from django.apps import AppConfig


class WidgetConfig(AppConfig):
    """The in-app widget (a static script) and its demo page."""

    name = "education.widget"
    label = "widget"
    verbose_name = "In-app widget"
