import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection

from cms.models import LearningHubPage
from education.crypto import decrypt
from education.workspaces.models import CredentialKind, Workspace, WorkspaceCredential
from education.workspaces.selectors import (
    workspace_for_publishable_key,
    workspace_id_for_write_key,
    workspace_signing_secrets,
)
from education.workspaces.services import workspace_credential_rotate

pytestmark = pytest.mark.django_db


def _database_dump() -> str:
    with connection.cursor() as cursor:
        table = WorkspaceCredential._meta.db_table
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608
        return json.dumps(cursor.fetchall(), default=str)


def test_create_workspace_prints_its_keys_once_as_json(capsys):
    call_command("create_workspace", "Acme Books", "--json")

    keys = json.loads(capsys.readouterr().out)
    workspace = Workspace.objects.get(slug=keys["workspace"])
    assert workspace.name == "Acme Books"
    assert keys["write_key"].startswith("wk_") and keys["publishable_key"].startswith("pk_")
    assert workspace_id_for_write_key(keys["write_key"]) == workspace.pk
    assert workspace_for_publishable_key(keys["publishable_key"]) == workspace
    assert workspace_signing_secrets(workspace) == (keys["signing_secret"],)
    assert LearningHubPage.objects.filter(workspace=workspace).count() == 2  # en and fr


def test_the_write_key_and_signing_secret_are_not_readable_from_a_database_dump(workspace):
    dump = _database_dump()

    assert workspace.issued_keys.write_key not in dump
    assert workspace.issued_keys.signing_secret not in dump
    stored = WorkspaceCredential.objects.get(
        workspace=workspace, kind=CredentialKind.SIGNING_SECRET
    )
    assert decrypt(stored.secret_encrypted) == workspace.issued_keys.signing_secret


def test_an_unknown_or_other_workspaces_key_does_not_authenticate(workspace, other_workspace):
    assert workspace_id_for_write_key("wk_not-a-key") is None
    assert workspace_id_for_write_key(other_workspace.issued_keys.write_key) == other_workspace.pk


def test_a_rotated_key_keeps_working_during_the_overlap(workspace):
    old = workspace.issued_keys.write_key

    new = workspace_credential_rotate(workspace=workspace, kind=CredentialKind.WRITE_KEY)

    assert workspace_id_for_write_key(new) == workspace.pk
    assert workspace_id_for_write_key(old) == workspace.pk


def test_a_rotated_key_stops_working_after_the_overlap(
    workspace, django_capture_on_commit_callbacks
):
    old = workspace.issued_keys.write_key
    assert workspace_id_for_write_key(old) == workspace.pk  # cached now

    with django_capture_on_commit_callbacks(execute=True):
        new = workspace_credential_rotate(
            workspace=workspace, kind=CredentialKind.WRITE_KEY, overlap=timedelta(0)
        )

    assert workspace_id_for_write_key(old) is None
    assert workspace_id_for_write_key(new) == workspace.pk


def test_a_rotated_signing_secret_signs_with_the_new_one_and_verifies_with_both(workspace):
    secret = workspace_credential_rotate(workspace=workspace, kind=CredentialKind.SIGNING_SECRET)

    assert workspace_signing_secrets(workspace) == (secret, workspace.issued_keys.signing_secret)


def test_each_workspace_gets_an_authors_group_with_admin_access(workspace):
    group = workspace.authors_group

    assert group is not None
    assert group.permissions.filter(codename="access_admin").exists()


def test_workspace_origins_are_listed_added_normalised_and_removed(workspace):
    from io import StringIO

    from django.core.management import call_command

    def run(*options) -> list[str]:
        out = StringIO()
        call_command("workspace_origins", workspace.slug, *options, stdout=out)
        return out.getvalue().split()

    assert run("--set", "https://App.Example.com/", "http://localhost:3000") == [
        "https://app.example.com",
        "http://localhost:3000",
    ]
    assert run("--add", "https://staging.example.com") == [
        "https://app.example.com",
        "http://localhost:3000",
        "https://staging.example.com",
    ]
    assert run("--remove", "http://localhost:3000") == [
        "https://app.example.com",
        "https://staging.example.com",
    ]
    workspace.refresh_from_db()
    assert workspace.allowed_origins == ["https://app.example.com", "https://staging.example.com"]


@pytest.mark.parametrize(
    "origin",
    ["app.example.com", "https://app.example.com/path", "ftp://app.example.com", "https://"],
)
def test_a_value_that_is_not_an_origin_is_refused(workspace, origin):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="not an origin"):
        call_command("workspace_origins", workspace.slug, "--add", origin)
    workspace.refresh_from_db()
    assert workspace.allowed_origins == []
