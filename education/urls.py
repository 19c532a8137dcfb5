"""URL map. Each area adds its routes in its own ``urls`` module."""

from django.conf import settings
from django.http import JsonResponse
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms.api import api_router


def healthz(request):
    return JsonResponse({"status": "ok"})


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("cms/api/v2/", api_router.urls),
    path("e/", include("education.emails.urls")),
    path("", include("education.events.urls")),
    path("api/", include("education.api.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include("education.widget.urls"))]

# Wagtail serves the hosted lesson pages; it must come last.
urlpatterns += [path("", include(wagtail_urls))]
