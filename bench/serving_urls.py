"""The product's URLs plus bare DRF endpoints for bench/serving.py.

Each bare endpoint returns a fixed JSON document of the same size as the widget endpoint
it stands beside (captured from that endpoint before the run), through the same
middleware, with no authentication and no database work: the framework's floor.
"""

import json
import os
from pathlib import Path

from django.urls import path
from rest_framework.response import Response
from rest_framework.views import APIView

from education.urls import urlpatterns as product_urlpatterns


def _payload(name: str) -> dict:
    location = os.environ.get(f"BENCH_BARE_{name.upper()}", "")
    return json.loads(Path(location).read_text()) if location else {"bare": True}


class BareView(APIView):
    authentication_classes: list = []
    permission_classes: list = []
    payload: dict = {}

    def get(self, request):
        return Response(self.payload)


urlpatterns = [
    path("bench/bare/path", BareView.as_view(payload=_payload("path"))),
    path("bench/bare/recommendations", BareView.as_view(payload=_payload("recommendations"))),
    *product_urlpatterns,
]
