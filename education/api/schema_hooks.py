"""drf-spectacular hooks."""


def only_versioned_api(endpoints, **_kwargs):
    """Document (and check) Waypoint's own API only, not Wagtail's admin endpoints."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]
