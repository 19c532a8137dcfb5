"""Model selection: pick the configuration that ranks best on a validation split.

The validation split is carved from the training data with the same time-based rule as
the evaluation (each customer's latest 20% of columns), so the choice is made only on data
the final model will be trained on. The candidates are few and tried within a time
budget; the winner is refitted on all the training data.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from recommender.core.algorithms import DEFAULT_RANDOM_STATE, ModelConfig
from recommender.core.evaluation import evaluate_model, time_split
from recommender.core.matrix import UsageMatrix
from recommender.core.serving import TrainedModel
from recommender.core.training import train_model

# The configuration used when selection is not run.
DEFAULT_CONFIG = ModelConfig("als")

# One configuration per algorithm family, as reported by the evaluation command.
ALTERNATIVE_CONFIGS = (
    ModelConfig("als"),
    ModelConfig("als", bm25=True),
    ModelConfig("bpr"),
    ModelConfig("item_knn_cosine"),
    ModelConfig("item_knn_bm25"),
)

# What automatic selection ("auto", the default way to train) tries, in order. No single
# configuration was within 90% of the best on every dataset tried (docs/recommender.md):
# ALS wants stronger regularization as data grows, BPR wins on dense catalogues and
# item-kNN on sparse long-tail ones. These five cover all of them.
SELECTION_CANDIDATES = (
    ModelConfig("als"),
    ModelConfig("als", {"regularization": 50.0}),
    ModelConfig("item_knn_cosine"),
    ModelConfig("item_knn_bm25"),
    ModelConfig("bpr"),
)

DEFAULT_TIME_BUDGET_SECONDS = 600.0


@dataclass(frozen=True)
class Trial:
    """One candidate's validation result."""

    config: ModelConfig
    ndcg: float
    fit_seconds: float


@dataclass
class SelectionResult:
    """The chosen configuration, its refitted model (unless ``refit=False``) and all trials."""

    config: ModelConfig
    model: TrainedModel | None
    trials: list[Trial] = field(default_factory=list)
    seconds: float = 0.0


def select_model(
    usage: UsageMatrix,
    candidates: tuple[ModelConfig, ...] | list[ModelConfig] = SELECTION_CANDIDATES,
    *,
    k: int = 10,
    time_budget_seconds: float = DEFAULT_TIME_BUDGET_SECONDS,
    random_state: int = DEFAULT_RANDOM_STATE,
    num_threads: int | None = None,
    is_lesson: np.ndarray | None = None,
    refit: bool = True,
) -> SelectionResult:
    """Choose among ``candidates`` by NDCG@``k`` on a time-based validation split.

    Candidates are tried in order until ``time_budget_seconds`` is spent (the first one
    always runs). Ties go to the earlier candidate. With too little data to validate (no
    customer with five or more columns) the first candidate is chosen.
    """
    started = time.perf_counter()
    candidates = list(candidates)
    split = time_split(usage)
    trials: list[Trial] = []
    if split.test.nnz:
        for config in candidates:
            if trials and time.perf_counter() - started > time_budget_seconds:
                break
            fit_started = time.perf_counter()
            model = train_model(
                split.train,
                config,
                random_state=random_state,
                num_threads=num_threads,
                is_lesson=is_lesson,
            )
            fit_seconds = time.perf_counter() - fit_started
            metrics = evaluate_model(model, split.train.matrix, split.test, k=k)
            trials.append(Trial(config=config, ndcg=metrics.ndcg, fit_seconds=fit_seconds))

    best = max(trials, key=lambda trial: trial.ndcg).config if trials else candidates[0]
    model = None
    if refit:
        model = train_model(
            usage, best, random_state=random_state, num_threads=num_threads, is_lesson=is_lesson
        )
    return SelectionResult(
        config=best, model=model, trials=trials, seconds=time.perf_counter() - started
    )
