"""One interface to fit implicit's models: ALS, BPR and item-kNN (cosine, BM25).

A model is named by a ``ModelConfig``: an algorithm name, keyword hyper-parameters that
override the defaults below, and whether the matrix is BM25-weighted before fitting.
"""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass, field, replace
from typing import Any

import scipy.sparse as sp

from recommender.core.threads import implicit_threads, limit_blas_threads

DEFAULT_RANDOM_STATE = 42

# Hyper-parameter defaults per algorithm. ALS's were chosen on the datasets listed in
# docs/recommender.md; the others follow implicit's documentation.
DEFAULT_HYPERPARAMETERS: dict[str, dict[str, Any]] = {
    # regularization None: scaled to the data, see REGULARIZATION_PER_CUSTOMER.
    "als": {"factors": 64, "regularization": None, "alpha": 1.0, "iterations": 15},
    "bpr": {"factors": 64, "learning_rate": 0.01, "regularization": 0.01, "iterations": 100},
    "item_knn_cosine": {"K": 100},
    "item_knn_bm25": {"K": 100, "K1": 1.2, "B": 0.75},
}
ALGORITHMS = tuple(DEFAULT_HYPERPARAMETERS)

# ALS's item step sums over every customer (unused columns count with confidence 1), so a
# fixed regularization weakens as customers are added: the best fixed value was 10 on 1k
# customers and 50-200 on 10k-30k. Scaling it with the number of customers was within 10%
# of the best value on every dataset tried.
REGULARIZATION_PER_CUSTOMER = 0.01
MIN_REGULARIZATION = 0.01
FACTOR_ALGORITHMS = ("als", "bpr")


@dataclass(frozen=True)
class ModelConfig:
    """What to train: an algorithm, hyper-parameter overrides and the matrix weighting.

    Parameters
    ----------
    algorithm : one of ``ALGORITHMS``.
    params : overrides for ``DEFAULT_HYPERPARAMETERS[algorithm]``.
    bm25 : BM25-weight the usage matrix (implicit's ``bm25_weight``) before fitting.
    """

    algorithm: str = "als"
    params: dict[str, Any] = field(default_factory=dict)
    bm25: bool = False
    bm25_k1: float = 100.0
    bm25_b: float = 0.8

    def __post_init__(self) -> None:
        if self.algorithm not in DEFAULT_HYPERPARAMETERS:
            raise ValueError(f"unknown algorithm {self.algorithm!r}; choose from {ALGORITHMS}")
        unknown = set(self.params) - set(DEFAULT_HYPERPARAMETERS[self.algorithm])
        if unknown:
            raise ValueError(f"unknown hyper-parameters for {self.algorithm}: {sorted(unknown)}")

    @property
    def hyperparameters(self) -> dict[str, Any]:
        """Defaults merged with the overrides."""
        return {**DEFAULT_HYPERPARAMETERS[self.algorithm], **self.params}

    @property
    def name(self) -> str:
        """A short readable label, e.g. ``als(factors=32)+bm25``."""
        overrides = ",".join(f"{key}={value}" for key, value in sorted(self.params.items()))
        label = f"{self.algorithm}({overrides})" if overrides else self.algorithm
        return f"{label}+bm25" if self.bm25 else label

    def resolved(self, n_customers: int) -> ModelConfig:
        """This config with data-dependent defaults filled in (ALS regularization)."""
        if self.algorithm != "als" or self.hyperparameters["regularization"] is not None:
            return self
        regularization = max(MIN_REGULARIZATION, REGULARIZATION_PER_CUSTOMER * n_customers)
        return replace(self, params={**self.params, "regularization": round(regularization, 4)})

    def to_json(self) -> str:
        return json.dumps(
            {
                "algorithm": self.algorithm,
                "params": self.params,
                "bm25": self.bm25,
                "bm25_k1": self.bm25_k1,
                "bm25_b": self.bm25_b,
            },
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> ModelConfig:
        return cls(**json.loads(text))


def fit_implicit_model(
    config: ModelConfig,
    user_items: sp.csr_matrix,
    *,
    random_state: int = DEFAULT_RANDOM_STATE,
    num_threads: int | None = None,
    use_gpu: bool = False,
):
    """Fit the implicit model described by ``config`` on a customers x columns CSR matrix.

    Returns the fitted implicit model, moved back to the CPU if it was trained on the GPU.
    ``use_gpu`` is honoured only for ALS and BPR and only when implicit was built with CUDA.
    """
    limit_blas_threads()
    threads = implicit_threads(num_threads)
    params = config.resolved(user_items.shape[0]).hyperparameters
    gpu = use_gpu and config.algorithm in FACTOR_ALGORITHMS and _cuda_available()

    if config.algorithm == "als":
        from implicit.als import AlternatingLeastSquares

        model = AlternatingLeastSquares(
            **params, random_state=random_state, num_threads=threads, use_gpu=gpu
        )
    elif config.algorithm == "bpr":
        from implicit.bpr import BayesianPersonalizedRanking

        model = BayesianPersonalizedRanking(
            **params, random_state=random_state, num_threads=threads, use_gpu=gpu
        )
    elif config.algorithm == "item_knn_cosine":
        from implicit.nearest_neighbours import CosineRecommender

        model = CosineRecommender(**params, num_threads=threads)
    else:
        from implicit.nearest_neighbours import BM25Recommender

        model = BM25Recommender(**params, num_threads=threads)

    with warnings.catch_warnings():
        # implicit's kNN models hand their own COO intermediate to a CSR-expecting helper
        # and warn about it; the conversion costs microseconds and is not ours to fix.
        warnings.filterwarnings("ignore", message="Method expects CSR input")
        model.fit(user_items, show_progress=False)
    if gpu:
        model = model.to_cpu()
    return model


def _cuda_available() -> bool:
    try:
        import implicit.gpu
    except ImportError:  # pragma: no cover - implicit always ships the module
        return False
    return bool(implicit.gpu.HAS_CUDA)
