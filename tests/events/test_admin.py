"""The admin: rejected events per workspace, and remapping after mapping edits."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from education.events.models import RejectedEvent, UsageEvent
from tests.events.conftest import IngestClient, track
from tests.events.test_mapping import run_tasks_here
from tests.factories import EventMappingFactory, ProductFeatureFactory, WorkspaceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def authored():
    """Two full workspaces (with authors groups) and an author of the first one."""
    mine, theirs = WorkspaceFactory(name="Mine"), WorkspaceFactory(name="Theirs")
    author = get_user_model().objects.create_user("author", password="x")
    author.groups.add(mine.authors_group)
    return mine, theirs, author


def test_authors_see_only_their_workspaces_rejected_events(client, authored):
    mine, theirs, author = authored
    own = RejectedEvent.objects.create(workspace=mine, reason="own reason", payload={"a": 1})
    other = RejectedEvent.objects.create(workspace=theirs, reason="their reason")
    client.force_login(author)

    listing = client.get(reverse("rejected_events:index"))
    assert listing.status_code == 200
    assert b"own reason" in listing.content
    assert b"their reason" not in listing.content
    assert client.get(reverse("rejected_events:inspect", args=[own.pk])).status_code == 200
    assert client.get(reverse("rejected_events:inspect", args=[other.pk])).status_code == 404


def test_rejected_events_cannot_be_edited_in_the_admin(client, authored):
    mine, _, author = authored
    rejected = RejectedEvent.objects.create(workspace=mine, reason="r")
    client.force_login(author)
    response = client.get(reverse("rejected_events:edit", args=[rejected.pk]))
    assert response.status_code in (302, 403)


def test_editing_a_mapping_in_the_admin_remaps_history(
    client, authored, django_capture_on_commit_callbacks
):
    mine, _, author = authored
    IngestClient(client, mine.issued_keys.write_key).batch([track("u1", event="Paid")])
    feature = ProductFeatureFactory(workspace=mine, key="billing")
    mapping = EventMappingFactory(workspace=mine, event_name="Old Name", feature=feature)
    client.force_login(author)
    with run_tasks_here(), django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("wagtailsnippets_cms_eventmapping:edit", args=[mapping.pk]),
            {
                "workspace": mine.pk,
                "event_name": "Paid",
                "property_name": "",
                "property_value": "",
                "feature": feature.pk,
                "kind": "used",
                "weight": "2",
            },
        )
    assert response.status_code == 302
    assert UsageEvent.objects.get().signal == "used:billing"
