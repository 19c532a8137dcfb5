from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class CustomersConfig(AppConfig):
    name = "education.customers"
    label = "customers"
    verbose_name = "Customers"

    def ready(self) -> None:
        from education.customers.models import Customer
        from education.customers.selectors import customer_id_forget

        for signal in (post_save, post_delete):
            signal.connect(
                customer_id_forget, sender=Customer, dispatch_uid=f"customer-id-{id(signal)}"
            )
