from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "education.customers"
    label = "customers"
    verbose_name = "Customers"
