from django.apps import AppConfig
from django.db.models.signals import post_migrate


class EmailsConfig(AppConfig):
    name = "education.emails"
    label = "emails"
    verbose_name = "Email"

    def ready(self) -> None:
        from education.emails import receivers

        post_migrate.connect(receivers.schedules_after_migrate, sender=self)
        receivers.connect_provider_tracking()
