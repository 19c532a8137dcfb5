from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "education.webhooks"
    label = "webhooks"
    verbose_name = "Webhooks"
