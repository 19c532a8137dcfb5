from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save


class EmailsConfig(AppConfig):
    name = "education.emails"
    label = "emails"
    verbose_name = "Email"

    def ready(self) -> None:
        from education.emails import receivers

        post_migrate.connect(receivers.schedules_after_migrate, sender=self)
        trigger = self.get_model("EmailTrigger")
        post_save.connect(receivers.trigger_changed, sender=trigger, dispatch_uid="trigger-saved")
        post_delete.connect(
            receivers.trigger_changed, sender=trigger, dispatch_uid="trigger-deleted"
        )
        receivers.connect_provider_tracking()
