from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "education.events"
    label = "events"
    verbose_name = "Usage events"
