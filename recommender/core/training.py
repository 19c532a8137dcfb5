"""Training: a usage matrix and a model config in, a ready-to-serve TrainedModel out."""

from __future__ import annotations

import numpy as np

from recommender.core.algorithms import (
    DEFAULT_RANDOM_STATE,
    ModelConfig,
    fit_implicit_model,
)
from recommender.core.matrix import UsageMatrix, apply_bm25, lesson_mask
from recommender.core.serving import TrainedModel


def train_model(
    usage: UsageMatrix,
    config: ModelConfig | None = None,
    *,
    random_state: int = DEFAULT_RANDOM_STATE,
    num_threads: int | None = None,
    use_gpu: bool = False,
    is_lesson: np.ndarray | None = None,
) -> TrainedModel:
    """Fit ``config`` (default: ALS with default hyper-parameters) on ``usage``.

    Parameters
    ----------
    usage : the customers x columns matrix from ``build_usage_matrix``.
    config : what to train. If it asks for BM25 and the matrix is not yet weighted, the
        weighting is applied here and recorded on the model for fold-in.
    random_state : seed for every random choice, so the same input gives the same model.
    num_threads : implicit's threads (None or 0: one per core).
    use_gpu : train on implicit's CUDA build when available (ALS and BPR only).
    is_lesson : which columns may be recommended; default: columns named ``lesson:...``.
    """
    # Resolved here so the model records the concrete values it was trained with.
    config = (config or ModelConfig()).resolved(usage.shape[0])
    if config.bm25 and usage.bm25 is None:
        usage = apply_bm25(usage, k1=config.bm25_k1, b=config.bm25_b)
    user_items = usage.matrix
    fitted = fit_implicit_model(
        config, user_items, random_state=random_state, num_threads=num_threads, use_gpu=use_gpu
    )
    popularity = np.bincount(user_items.indices, minlength=user_items.shape[1]).astype(np.float32)
    model = TrainedModel(
        config=config,
        customer_ids=usage.customer_ids,
        column_ids=usage.column_ids,
        is_lesson=lesson_mask(usage.column_ids) if is_lesson is None else np.asarray(is_lesson),
        user_items=user_items,
        popularity=popularity,
        kind_weights=dict(usage.kind_weights),
        half_life_days=usage.half_life_days,
        bm25=usage.bm25,
    )
    if hasattr(fitted, "similarity"):
        model.similarity = fitted.similarity.astype(np.float32).tocsr()
    else:
        model.user_factors = np.ascontiguousarray(fitted.user_factors, dtype=np.float32)
        model.item_factors = np.ascontiguousarray(fitted.item_factors, dtype=np.float32)
    return model
