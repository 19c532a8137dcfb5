"""List endpoints run a fixed number of queries, however many rows they list (no N+1)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from education.events.models import RejectedEvent
from education.webhooks.models import WebhookEndpoint
from recommender.models import RecommenderModel
from tests.api.conftest import customer_client, server_client
from tests.factories import (
    LearningPathPageFactory,
    LessonPageFactory,
    ProductFeatureFactory,
)

pytestmark = pytest.mark.django_db

# (route, client kind, maximum queries with the request's authentication included)
LISTS = [
    ("/api/v1/me/progress", "token", 3),
    ("/api/v1/me/recommendations?limit=10", "token", 4),
    ("/api/v1/me/path", "token", 6),
    ("/api/v1/customers/u1/progress", "key", 3),
    ("/api/v1/lessons", "key", 4),
    ("/api/v1/paths", "key", 4),
    ("/api/v1/webhooks", "key", 2),
    ("/api/v1/models", "key", 2),
    ("/api/v1/rejected-events", "key", 2),
]


def _grow(workspace, n: int, state: dict) -> None:
    """Add n lessons (with features, in a path), progress, endpoints, models, rejections."""
    feature = state.setdefault("feature", ProductFeatureFactory(workspace=workspace))
    lessons = [LessonPageFactory(workspace=workspace, features=[feature]) for _ in range(n)]
    LearningPathPageFactory(workspace=workspace, lessons=lessons)
    client = customer_client(workspace, "u1")
    for lesson in lessons:
        client.post(f"/api/v1/me/lessons/{lesson.pk}/start")
    for _ in range(n):
        i = state["i"] = state.get("i", 0) + 1
        WebhookEndpoint.objects.create(
            workspace=workspace, url=f"https://h.example.com/{i}", events=["help.requested"]
        )
        RecommenderModel.objects.create(
            workspace=workspace,
            version=f"v{i}",
            algorithm="als",
            data_until=timezone.now(),
            artifact_path="/nonexistent",
            created_by="test",
        )
        RejectedEvent.objects.create(workspace=workspace, reason="bad", payload={"i": i})


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(context.captured_queries)


def test_list_endpoints_do_not_grow_with_rows(workspace, django_assert_max_num_queries):
    state: dict = {}
    clients = {"token": customer_client(workspace, "u1"), "key": server_client(workspace)}
    _grow(workspace, 2, state)
    # Warm what is rebuilt once after content changes (locales, site roots, catalogue).
    for url, kind, _maximum in LISTS:
        clients[kind].get(url)
    small = {url: _count(clients[kind], url) for url, kind, _maximum in LISTS}
    _grow(workspace, 6, state)
    for url, kind, _maximum in LISTS:
        clients[kind].get(url)
    for url, kind, maximum in LISTS:
        with django_assert_max_num_queries(maximum):
            clients[kind].get(url)
        assert _count(clients[kind], url) <= small[url], url


@pytest.mark.parametrize("url", ["/api/v1/me/path", "/api/v1/me/recommendations?limit=5"])
def test_a_widget_reload_with_nothing_changed_reads_no_database(workspace, url):
    feature = ProductFeatureFactory(workspace=workspace)
    lessons = [LessonPageFactory(workspace=workspace, features=[feature]) for _ in range(3)]
    LearningPathPageFactory(workspace=workspace, lessons=lessons)
    client = customer_client(workspace, "u1")
    client.post(f"/api/v1/me/lessons/{lessons[0].pk}/start")
    built = client.get(url)

    with CaptureQueriesContext(connection) as context:
        again = client.get(url)

    assert again.status_code == 200
    assert again.json() == built.json()
    assert context.captured_queries == []
