"""Workspaces (tenants) and their credentials."""

import uuid

from django.contrib.auth.models import Group
from django.db import models
from django.utils import timezone


class Workspace(models.Model):
    """One product using Waypoint. Every other row belongs to exactly one workspace."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=60, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    authors_group = models.OneToOneField(
        Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="workspace"
    )
    # Browser origins allowed to call the customer-token API (the widget's CORS list).
    allowed_origins = models.JSONField(default=list, blank=True)
    # Where lesson links in email lead, e.g. "https://app.example.com/learn/{lesson_id}".
    # Empty: the lesson page hosted by Waypoint.
    lesson_url_template = models.CharField(max_length=500, blank=True)
    brand_name = models.CharField(max_length=120, blank=True)
    brand_color = models.CharField(max_length=7, default="#2f5bea")
    logo_url = models.URLField(blank=True)
    support_email = models.EmailField(blank=True)
    default_locale = models.CharField(max_length=10, default="en")
    # Events a workspace may send per second before ingestion answers 429.
    ingest_rate_limit = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.brand_name or self.name


class CredentialKind(models.TextChoices):
    WRITE_KEY = "write_key", "Secret write key"
    PUBLISHABLE_KEY = "publishable_key", "Publishable key"
    SIGNING_SECRET = "signing_secret", "Signing secret"


class WorkspaceCredential(models.Model):
    """A key of a workspace. Several of a kind are valid during a rotation's overlap.

    Write keys are stored as a SHA-256 hash only (not readable from a database dump),
    publishable keys in clear (they are public), signing secrets encrypted at rest because
    the server must read them to verify customer tokens and sign webhooks.
    """

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="credentials")
    kind = models.CharField(max_length=20, choices=CredentialKind.choices)
    lookup = models.CharField(max_length=128, blank=True, db_index=True)
    secret_encrypted = models.TextField(blank=True)
    hint = models.CharField(max_length=12, help_text="Last characters, to recognise a key.")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["workspace", "kind", "expires_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} …{self.hint}"

    def is_active(self, at=None) -> bool:
        return self.expires_at is None or self.expires_at > (at or timezone.now())
