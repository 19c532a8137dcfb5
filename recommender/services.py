"""Writes about models: training with a governance gate, activation, erasure.

Training reads the workspace's events in a time window, evaluates the candidate on a
time-based holdout (each customer's latest interactions) against popularity, random and
the active model's configuration, records everything, and activates the candidate only
if it beats popularity and is at least as good as the active model — or when forced,
which is recorded.
"""

import json
import logging
import secrets
import time
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from education.customers.models import Customer
from education.errors import ApplicationError
from education.workspaces.models import Workspace
from recommender.core.algorithms import ModelConfig
from recommender.core.artifacts import load_model, save_model
from recommender.core.evaluation import (
    evaluate_model,
    evaluate_popularity,
    evaluate_random,
    time_split,
)
from recommender.core.matrix import build_usage_matrix, lesson_mask
from recommender.core.selection import select_model
from recommender.core.threads import implicit_threads, limit_blas_threads
from recommender.core.training import train_model
from recommender.data import customer_key
from recommender.governance import gate
from recommender.models import ModelStatus, RecommenderModel
from recommender.registry import active_model_changed
from recommender.selectors import active_model_record
from recommender.training_data import workspace_events

logger = logging.getLogger(__name__)

MIN_FACTORS = 4
COLUMNS_PER_FACTOR = 4


def _config_for(algorithm: str) -> ModelConfig | None:
    """None means automatic selection on a validation split."""
    if algorithm == "auto":
        return None
    if algorithm == "als_bm25":
        return ModelConfig("als", bm25=True)
    return ModelConfig(algorithm)


def _sized(config: ModelConfig, n_columns: int) -> ModelConfig:
    """Fewer factors than the defaults for small catalogues.

    With more factors than a few per column, ALS and BPR reproduce the training matrix
    exactly (unseen lessons all score zero) and rank no better than popularity.
    """
    if config.algorithm not in ("als", "bpr") or "factors" in config.params:
        return config
    factors = config.hyperparameters["factors"]
    capped = max(MIN_FACTORS, min(factors, n_columns // COLUMNS_PER_FACTOR))
    if capped == factors:
        return config
    return replace(config, params={**config.params, "factors": capped})


def _fit(usage, config: ModelConfig | None, is_lesson):
    threads = implicit_threads(settings.RECOMMENDER_NUM_THREADS or None)
    if config is not None:
        config = _sized(config, usage.shape[1])
    if config is None:
        selection = select_model(usage, is_lesson=is_lesson, num_threads=threads)
        return selection.config, selection.model
    return config, train_model(
        usage,
        config,
        is_lesson=is_lesson,
        num_threads=threads,
        use_gpu=settings.RECOMMENDER_USE_GPU,
    )


def model_train(
    *,
    workspace: Workspace,
    force: bool = False,
    created_by: str = "system",
    algorithm: str | None = None,
    now: datetime | None = None,
) -> RecommenderModel:
    """Train, evaluate and record a model for ``workspace``; activate it if it passes."""
    limit_blas_threads()
    started = time.perf_counter()
    now = now or timezone.now()
    since = now - timedelta(days=settings.RECOMMENDER_WINDOW_DAYS)
    events = workspace_events(workspace=workspace, since=since, until=now)
    if events.size == 0:
        raise ApplicationError(
            "There are no usage events to train on yet.", code="no_training_data", status_code=409
        )
    usage = build_usage_matrix(
        events.customer_keys,
        events.column_keys,
        events.kinds,
        events.weights,
        events.timestamps,
        half_life_days=settings.RECOMMENDER_HALF_LIFE_DAYS,
        now=now.timestamp(),
    )
    is_lesson = lesson_mask(usage.column_ids)
    if not is_lesson.any():
        raise ApplicationError(
            "No customer has interacted with a lesson yet.",
            code="no_training_data",
            status_code=409,
        )

    split = time_split(usage)
    metrics: dict[str, dict] = {}
    config = _config_for(algorithm or settings.RECOMMENDER_ALGORITHM)
    if split.test.nnz:
        config, holdout_model = _fit(split.train, config, is_lesson)
        metrics["model"] = evaluate_model(holdout_model, split.train.matrix, split.test).as_dict()
        metrics["popularity"] = evaluate_popularity(
            split.train.matrix, split.test, candidates=is_lesson
        ).as_dict()
        metrics["random"] = evaluate_random(
            split.train.matrix, split.test, candidates=is_lesson
        ).as_dict()
        active = active_model_record(workspace)
        if active is not None:
            active_config = ModelConfig.from_json(json.dumps(active.hyperparameters))
            _, active_holdout = _fit(split.train, active_config, is_lesson)
            metrics["active"] = evaluate_model(
                active_holdout, split.train.matrix, split.test
            ).as_dict()
            metrics["active"]["version"] = active.version
    # The model that serves is trained on everything, holdout included.
    config, model = _fit(usage, config or ModelConfig(), is_lesson)

    version = f"{workspace.slug[:20]}-{now:%Y%m%d%H%M%S}-{secrets.token_hex(2)}"
    path = save_model(model, Path(settings.MODEL_DIR) / workspace.slug / f"{version}.npz")
    passed, decision = gate(metrics)
    record = RecommenderModel.objects.create(
        workspace=workspace,
        version=version,
        algorithm=config.name,
        hyperparameters=json.loads(config.to_json()),
        data_from=since,
        data_until=now,
        n_customers=usage.shape[0],
        n_columns=usage.shape[1],
        n_lessons=int(is_lesson.sum()),
        n_interactions=int(usage.matrix.nnz),
        metrics=metrics,
        decision=decision,
        artifact_path=str(path),
        train_seconds=time.perf_counter() - started,
        created_by=created_by,
    )
    if passed or force:
        record = model_activate(model=record, forced=not passed)
    logger.info("trained %s: %s", version, decision)
    return record


@transaction.atomic
def model_activate(*, model: RecommenderModel, forced: bool = False) -> RecommenderModel:
    """Make ``model`` the one that serves; the previous active model is retired."""
    model = RecommenderModel.objects.select_for_update().get(pk=model.pk)
    RecommenderModel.objects.filter(workspace=model.workspace, status=ModelStatus.ACTIVE).exclude(
        pk=model.pk
    ).update(status=ModelStatus.RETIRED)
    model.status = ModelStatus.ACTIVE
    model.activated_at = timezone.now()
    model.forced = model.forced or forced
    if forced:
        model.decision = f"activated by force ({model.decision})"
    model.save(update_fields=["status", "activated_at", "forced", "decision"])
    workspace_id = model.workspace_id
    transaction.on_commit(lambda: active_model_changed(workspace_id))
    return model


def model_forget_customer(*, customer: Customer) -> int:
    """Remove the customer's factors and row from every stored model of the workspace.

    Artifacts are rewritten atomically and serving processes reload the active one, so
    the customer is gone from the model as soon as this returns. Returns how many
    artifacts held them.
    """
    key = customer_key(customer)
    changed = 0
    for record in RecommenderModel.objects.filter(workspace_id=customer.workspace_id):
        path = Path(record.artifact_path)
        if not path.exists():
            continue
        model = load_model(path)
        if not model.remove_customer(key):
            continue
        save_model(model, path)
        RecommenderModel.objects.filter(pk=record.pk).update(
            artifact_revision=record.artifact_revision + 1
        )
        changed += 1
    if changed:
        active_model_changed(customer.workspace_id)
    return changed
