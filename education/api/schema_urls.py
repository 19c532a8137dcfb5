"""The URL map the OpenAPI schema is generated from: the versioned API only.

(``manage.py spectacular --urlconf education.api.schema_urls --validate`` uses it too.)
"""

from django.urls import include, path

from education.api.urls import v1

urlpatterns = [path("api/", include(v1))]
