import pytest
from django.contrib.auth import get_user_model

from tests.factories import LessonPageFactory, ProductFeatureFactory, hub_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def author(workspace):
    user = get_user_model().objects.create_user("author-a", password="secret")
    user.groups.add(workspace.authors_group)
    return user


def test_authors_may_edit_and_publish_their_workspaces_lessons_only(
    author, workspace, other_workspace
):
    own = LessonPageFactory(workspace=workspace)
    foreign = LessonPageFactory(workspace=other_workspace)

    assert own.permissions_for_user(author).can_edit()
    assert own.permissions_for_user(author).can_publish()
    assert hub_for(workspace).permissions_for_user(author).can_add_subpage()
    assert hub_for(workspace, "fr").permissions_for_user(author).can_add_subpage()
    assert not foreign.permissions_for_user(author).can_edit()
    assert not hub_for(other_workspace).permissions_for_user(author).can_add_subpage()


def test_the_admin_refuses_another_workspaces_lesson(client, author, other_workspace):
    foreign = LessonPageFactory(workspace=other_workspace)
    client.force_login(author)

    response = client.get(f"/admin/pages/{foreign.pk}/edit/")

    assert response.status_code in (302, 403)
    assert foreign.title not in response.content.decode()


def test_the_admin_lets_an_author_edit_their_own_lesson(client, author, workspace):
    own = LessonPageFactory(workspace=workspace, title="Reconcile your bank")
    client.force_login(author)

    response = client.get(f"/admin/pages/{own.pk}/edit/")

    assert response.status_code == 200
    assert "Reconcile your bank" in response.content.decode()


def test_snippets_list_only_the_authors_workspace(client, author, workspace, other_workspace):
    ProductFeatureFactory(workspace=workspace, name="Invoices")
    ProductFeatureFactory(workspace=other_workspace, name="Secret feature")
    client.force_login(author)

    html = client.get("/admin/snippets/cms/productfeature/").content.decode()

    assert "Invoices" in html
    assert "Secret feature" not in html


@pytest.mark.parametrize("view", ["edit", "delete", "history", "usage"])
def test_another_workspaces_snippet_cannot_be_opened_by_url(client, author, other_workspace, view):
    foreign = ProductFeatureFactory(workspace=other_workspace, name="Secret feature")
    client.force_login(author)

    response = client.get(f"/admin/snippets/cms/productfeature/{view}/{foreign.pk}/")

    assert response.status_code == 404


def test_another_workspaces_snippet_cannot_be_changed_by_post(client, author, other_workspace):
    foreign = ProductFeatureFactory(workspace=other_workspace, name="Secret feature")
    client.force_login(author)

    client.post(
        f"/admin/snippets/cms/productfeature/edit/{foreign.pk}/",
        {"workspace": other_workspace.pk, "key": "x", "name": "Renamed"},
    )

    foreign.refresh_from_db()
    assert foreign.name == "Secret feature"


def test_authors_may_manage_their_email_triggers(client, author):
    client.force_login(author)

    assert client.get("/admin/snippets/emails/emailtrigger/").status_code == 200
