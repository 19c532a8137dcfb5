from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "education.api"
    label = "api"
    verbose_name = "Delivery REST API"

    def ready(self) -> None:
        from corsheaders.signals import check_request_enabled

        from education.api import cors, schema  # noqa: F401  (registers the schema extensions)

        check_request_enabled.connect(cors.cors_allow_widget_origin, dispatch_uid="waypoint-cors")
