"""CORS for the widget's routes (/api/v1/me...): only a workspace's own allowed origins.

A preflight carries no ``X-Waypoint-Key``, so it is answered for any origin that some
workspace allows; the actual request is then checked against the calling workspace's
list (by django-cors-headers for the browser, and by the API itself, which refuses a
foreign ``Origin`` with 403 even where a browser would not enforce CORS).
"""

from django.http import HttpRequest

from education.shared_cache import cached
from education.workspaces.models import Workspace

_ALL_ORIGINS_CACHE_KEY = "api:cors:all-allowed-origins"
_ALL_ORIGINS_CACHE_SECONDS = 60
WIDGET_PATH_PREFIX = "/api/v1/me"


def normalise_origin(origin: str) -> str:
    return origin.strip().rstrip("/").lower()


def workspace_allows_origin(workspace: Workspace, origin: str) -> bool:
    wanted = normalise_origin(origin)
    return any(
        isinstance(allowed, str) and normalise_origin(allowed) == wanted
        for allowed in workspace.allowed_origins or []
    )


def _origins_of_all_workspaces() -> set[str]:
    def load() -> set[str]:
        return {
            normalise_origin(origin)
            for allowed in Workspace.objects.values_list("allowed_origins", flat=True)
            for origin in (allowed or [])
            if isinstance(origin, str)
        }

    return cached(_ALL_ORIGINS_CACHE_KEY, load, _ALL_ORIGINS_CACHE_SECONDS)


def is_widget_path(path: str) -> bool:
    return path == WIDGET_PATH_PREFIX or path.startswith(WIDGET_PATH_PREFIX + "/")


def cors_allow_widget_origin(sender, request: HttpRequest, **kwargs) -> bool:
    """django-cors-headers' ``check_request_enabled`` receiver."""
    if not is_widget_path(request.path):
        return False
    origin = request.headers.get("Origin", "")
    if not origin:
        return False
    publishable_key = request.headers.get("X-Waypoint-Key", "").strip()
    if publishable_key:
        from education.api.authentication import workspace_for_publishable_key_cached

        workspace = workspace_for_publishable_key_cached(publishable_key)
        return workspace is not None and workspace_allows_origin(workspace, origin)
    if request.method == "OPTIONS":
        return normalise_origin(origin) in _origins_of_all_workspaces()
    return False
