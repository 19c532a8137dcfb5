"""Reads for the widget's demo page: the demo workspace, its customers and browser keys."""

from django.db.models import Q
from django.utils import timezone

from education.customers.models import Customer
from education.workspaces.models import CredentialKind, Workspace, WorkspaceCredential
from education.workspaces.selectors import workspace_signing_secrets

DEMO_WORKSPACE_SLUG = "ledgerly"


def demo_workspace_get() -> Workspace | None:
    return Workspace.objects.filter(slug=DEMO_WORKSPACE_SLUG).first()


def workspace_publishable_key(workspace: Workspace) -> str | None:
    """The newest active publishable key (publishable keys are stored in clear)."""
    now = timezone.now()
    return (
        WorkspaceCredential.objects.filter(workspace=workspace, kind=CredentialKind.PUBLISHABLE_KEY)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .order_by("-created_at", "-pk")
        .values_list("lookup", flat=True)
        .first()
    )


def workspace_current_signing_secret(workspace: Workspace) -> str | None:
    secrets = workspace_signing_secrets(workspace)
    return secrets[0] if secrets else None


def demo_customers(workspace: Workspace, *, limit: int = 12) -> list[Customer]:
    """Known (not anonymous) customers to switch between, oldest first."""
    return list(
        Customer.objects.filter(workspace=workspace, is_anonymous=False).order_by("pk")[:limit]
    )


def demo_customer_get(workspace: Workspace, *, external_id: str = "") -> Customer | None:
    customers = Customer.objects.filter(workspace=workspace, is_anonymous=False)
    if external_id:
        return customers.filter(external_id=external_id).first()
    return customers.order_by("pk").first()
