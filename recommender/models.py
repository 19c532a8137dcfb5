"""The model registry: every trained model, its metrics and whether it serves."""

from django.db import models
from django.utils.timezone import now

from education.workspaces.models import Workspace


class ModelStatus(models.TextChoices):
    CANDIDATE = "candidate", "Candidate"
    ACTIVE = "active", "Active"
    RETIRED = "retired", "Retired"


class RecommenderModel(models.Model):
    """One trained model version of a workspace. At most one is active at a time."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="models")
    version = models.CharField(max_length=40, unique=True)
    algorithm = models.CharField(max_length=40)
    hyperparameters = models.JSONField(default=dict)
    status = models.CharField(
        max_length=10, choices=ModelStatus.choices, default=ModelStatus.CANDIDATE
    )
    # The data the model saw: events in [data_from, data_until), and the matrix size.
    data_from = models.DateTimeField(null=True)
    data_until = models.DateTimeField()
    n_customers = models.PositiveIntegerField(default=0)
    n_columns = models.PositiveIntegerField(default=0)
    n_lessons = models.PositiveIntegerField(default=0)
    n_interactions = models.PositiveIntegerField(default=0)
    # Holdout metrics at 10 for this model and its baselines, and the gate's verdict.
    metrics = models.JSONField(default=dict)
    decision = models.CharField(max_length=300, blank=True)
    forced = models.BooleanField(default=False, help_text="Activated without passing the gate.")
    artifact_path = models.CharField(max_length=500)
    # Bumped when the artifact is rewritten in place (erasure), so servers reload it.
    artifact_revision = models.PositiveIntegerField(default=0)
    train_seconds = models.FloatField(default=0.0)
    created_by = models.CharField(max_length=150)
    created_at = models.DateTimeField(default=now)
    activated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace"],
                condition=models.Q(status="active"),
                name="one_active_model_per_workspace",
            )
        ]

    def __str__(self) -> str:
        return f"{self.version} ({self.status})"

    @property
    def ndcg(self) -> float | None:
        return (self.metrics.get("model") or {}).get("ndcg")
