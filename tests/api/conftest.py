"""Fixtures for the REST API: two workspaces, their customers, and credentials."""

import time
from dataclasses import dataclass

import jwt
import pytest
from rest_framework.test import APIClient

from tests.factories import CustomerFactory, LessonPageFactory, WorkspaceFactory


def mint_token(
    secret: str, sub: str, *, lifetime: int = 600, algorithm: str = "HS256", **claims
) -> str:
    now = int(time.time())
    payload = {"sub": sub, "iat": now, "exp": now + lifetime, **claims}
    return jwt.encode(payload, secret, algorithm=algorithm)


def server_client(workspace) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {workspace.issued_keys.write_key}")
    return client


def customer_client(workspace, external_id: str, *, token: str | None = None) -> APIClient:
    client = APIClient()
    token = token or mint_token(workspace.issued_keys.signing_secret, external_id)
    client.credentials(
        HTTP_AUTHORIZATION=f"Bearer {token}",
        HTTP_X_WAYPOINT_KEY=workspace.issued_keys.publishable_key,
    )
    return client


@dataclass
class Tenant:
    workspace: object
    customer: object
    other_customer: object
    lesson: object
    draft: object
    path: object


@pytest.fixture
def tenants(db):
    """Workspace A (customers A1, A2) and workspace B (customer B1), each with lessons."""
    from tests.factories import LearningPathPageFactory

    result = {}
    for label in ("a", "b"):
        workspace = WorkspaceFactory(name=f"Workspace {label.upper()}")
        lesson = LessonPageFactory(workspace=workspace, title=f"Lesson {label}")
        second = LessonPageFactory(workspace=workspace, title=f"Second {label}")
        draft = LessonPageFactory(workspace=workspace, live=False, title=f"Draft {label}")
        path = LearningPathPageFactory(workspace=workspace, lessons=[lesson, second])
        result[label] = Tenant(
            workspace=workspace,
            customer=CustomerFactory(workspace=workspace, external_id=f"{label}-1"),
            other_customer=CustomerFactory(workspace=workspace, external_id=f"{label}-2"),
            lesson=lesson,
            draft=draft,
            path=path,
        )
    return result
