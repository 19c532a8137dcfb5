"""Routes of the HTTP Tracking API (Segment's paths, so stock SDKs work unchanged)."""

from django.urls import path

from education.events.payloads import MESSAGE_TYPES
from education.events.views import ingest_view

urlpatterns = [
    path("v1/batch", ingest_view, name="ingest-batch"),
    *(
        path(
            f"v1/{message_type}",
            ingest_view,
            {"message_type": message_type},
            name=f"ingest-{message_type}",
        )
        for message_type in sorted(MESSAGE_TYPES)
    ),
]
