import pytest
from django.contrib.auth.models import User

from education.emails.models import EmailDelivery, EmailTrigger
from tests.factories import CustomerFactory, ProductFeatureFactory


@pytest.fixture
def author(workspace):
    user = User.objects.create_user("author", password="x")
    user.groups.add(workspace.authors_group)
    from django.contrib.auth.models import Permission

    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="emails",
            codename__in=["add_emailtrigger", "change_emailtrigger", "view_emaildelivery"],
        )
    )
    return user


def test_authors_see_only_their_workspaces_triggers_and_deliveries(
    client, author, workspace, other_workspace, lessons
):
    feature = lessons[0].features.get()
    foreign = ProductFeatureFactory(workspace=other_workspace)
    EmailTrigger.objects.create(
        workspace=workspace, name="Ours", kind="first_use", feature=feature, lesson=lessons[0]
    )
    EmailTrigger.objects.create(
        workspace=other_workspace,
        name="Theirs",
        kind="first_use",
        feature=foreign,
        lesson=lessons[0],
    )
    EmailDelivery.objects.create(
        workspace=workspace,
        customer=CustomerFactory(workspace=workspace, name="Olivia Ours"),
        campaign="digest",
        period="p",
    )
    EmailDelivery.objects.create(
        workspace=other_workspace,
        customer=CustomerFactory(workspace=other_workspace, name="Theo Theirs"),
        campaign="digest",
        period="p",
    )
    client.force_login(author)

    triggers = client.get("/admin/snippets/emails/emailtrigger/")
    deliveries = client.get("/admin/email_deliveries/")

    assert triggers.status_code == 200
    assert b"Ours" in triggers.content and b"Theirs" not in triggers.content
    assert deliveries.status_code == 200
    assert b"Olivia Ours" in deliveries.content and b"Theo Theirs" not in deliveries.content


def test_the_trigger_form_offers_only_the_authors_features(client, author, other_workspace):
    ProductFeatureFactory(workspace=other_workspace, name="Foreign feature")
    client.force_login(author)
    response = client.get("/admin/snippets/emails/emailtrigger/add/")
    assert response.status_code == 200
    assert b"Foreign feature" not in response.content


def test_deliveries_cannot_be_created_or_edited_in_the_admin(client, author, admin_user):
    client.force_login(admin_user)
    assert client.get("/admin/email_deliveries/new/").status_code in (302, 403)


def test_authors_cannot_open_another_workspaces_trigger_or_delivery(
    client, author, other_workspace, lessons
):
    foreign = ProductFeatureFactory(workspace=other_workspace)
    trigger = EmailTrigger.objects.create(
        workspace=other_workspace,
        name="Theirs",
        kind="first_use",
        feature=foreign,
        lesson=lessons[0],
    )
    delivery = EmailDelivery.objects.create(
        workspace=other_workspace,
        customer=CustomerFactory(workspace=other_workspace),
        campaign="digest",
        period="p",
    )
    client.force_login(author)

    edit = client.get(f"/admin/snippets/emails/emailtrigger/edit/{trigger.pk}/")
    inspect = client.get(f"/admin/email_deliveries/inspect/{delivery.pk}/")

    assert edit.status_code in (302, 403, 404)
    assert inspect.status_code == 404
