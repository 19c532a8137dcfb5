"""Offline evaluation: a time-based holdout split and ranking metrics at k.

Split rule, per customer: order their distinct columns by first appearance; the latest 20%
(at least one) go to the test set together with all their events; customers with fewer than
five distinct columns stay wholly in the training set. Metrics use binary relevance, rank
only columns the customer has not seen in training, and average over customers with at
least one test column among the candidates.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import scipy.sparse as sp

from recommender.core.matrix import UsageMatrix, with_matrix
from recommender.core.serving import TrainedModel, _mask_rows, _top_indices

TEST_FRACTION = 0.2
MIN_ITEMS_FOR_TEST = 5


@dataclass
class TimeSplit:
    """Train and test parts of a usage matrix (same shape and id maps)."""

    train: UsageMatrix
    test: sp.csr_matrix


@dataclass
class RankingMetrics:
    """Metrics at ``k``, averaged over evaluated customers."""

    k: int
    precision: float
    recall: float
    ndcg: float
    map: float
    coverage: float
    customers: int

    def as_dict(self) -> dict[str, float | int]:
        return asdict(self)


def time_split(
    usage: UsageMatrix,
    *,
    test_fraction: float = TEST_FRACTION,
    min_items: int = MIN_ITEMS_FOR_TEST,
) -> TimeSplit:
    """Hold out each customer's latest columns by first appearance (see module docstring)."""
    if usage.first_seen is None or usage.first_position is None:
        raise ValueError("time_split needs first_seen (build the matrix with build_usage_matrix)")
    matrix = usage.matrix
    counts = np.diff(matrix.indptr)
    row_of_entry = np.repeat(np.arange(matrix.shape[0]), counts)
    # Position of every entry within its row once the row is ordered by first appearance.
    order = np.lexsort((usage.first_position, usage.first_seen, row_of_entry))
    position = np.empty(matrix.nnz, dtype=np.int64)
    position[order] = np.arange(matrix.nnz) - matrix.indptr[row_of_entry[order]]

    n_test = np.maximum(1, np.floor(test_fraction * counts).astype(np.int64))
    n_test[counts < min_items] = 0
    is_test = position >= (counts - n_test)[row_of_entry]

    train = _select_entries(matrix, ~is_test)
    test = _select_entries(matrix, is_test)
    train_usage = with_matrix(
        usage, train, usage.first_seen[~is_test], usage.first_position[~is_test]
    )
    return TimeSplit(train=train_usage, test=test)


def _select_entries(matrix: sp.csr_matrix, keep: np.ndarray) -> sp.csr_matrix:
    """The CSR matrix with only the entries where ``keep`` is True (order preserved)."""
    rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))[keep]
    indptr = np.zeros(matrix.shape[0] + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=matrix.shape[0]), out=indptr[1:])
    return sp.csr_matrix(
        (matrix.data[keep], matrix.indices[keep], indptr), shape=matrix.shape, copy=False
    )


def ranking_metrics(
    recommended: np.ndarray,
    relevant: sp.csr_matrix,
    *,
    k: int,
    n_candidates: int | None = None,
) -> RankingMetrics:
    """Precision, recall, NDCG, MAP at ``k`` and catalogue coverage.

    Parameters
    ----------
    recommended : (customers, >=k) column indices, best first; -1 pads short lists.
    relevant : (customers, columns) CSR whose stored entries are the relevant columns.
        Customers with no relevant column are left out of the averages.
    n_candidates : size of the catalogue for coverage (default: all columns).
    """
    recommended = np.asarray(recommended, dtype=np.int64)[:, :k]
    n_relevant = np.diff(relevant.indptr)
    evaluated = n_relevant > 0
    n_columns = relevant.shape[1]
    if not evaluated.any():
        return RankingMetrics(k, 0.0, 0.0, 0.0, 0.0, 0.0, 0)

    # Look every recommended (customer, column) pair up among the relevant pairs at once.
    relevant_rows = np.repeat(np.arange(relevant.shape[0]), n_relevant).astype(np.int64)
    relevant_keys = np.sort(relevant_rows * n_columns + relevant.indices)
    rows = np.arange(recommended.shape[0])[:, None]
    keys = rows * n_columns + recommended
    where = np.minimum(np.searchsorted(relevant_keys, keys), relevant_keys.size - 1)
    hits = (relevant_keys[where] == keys) & (recommended >= 0)
    hits, n_relevant = hits[evaluated], n_relevant[evaluated]
    width = hits.shape[1]

    hit_counts = hits.sum(axis=1)
    discounts = 1.0 / np.log2(np.arange(2, width + 2))
    dcg = (hits * discounts).sum(axis=1)
    ideal = np.cumsum(discounts)[np.minimum(n_relevant, width) - 1] if width else np.ones(1)
    precision_at_rank = np.cumsum(hits, axis=1) / np.arange(1, width + 1)
    average_precision = (precision_at_rank * hits).sum(axis=1) / np.minimum(n_relevant, k)

    shown = recommended[evaluated]
    catalogue = n_columns if n_candidates is None else n_candidates
    return RankingMetrics(
        k=k,
        precision=float((hit_counts / k).mean()),
        recall=float((hit_counts / n_relevant).mean()),
        ndcg=float((dcg / ideal).mean()) if width else 0.0,
        map=float(average_precision.mean()),
        coverage=float(np.unique(shown[shown >= 0]).size / max(catalogue, 1)),
        customers=int(evaluated.sum()),
    )


def _relevant_among(test: sp.csr_matrix, candidates: np.ndarray | None) -> sp.csr_matrix:
    if candidates is None:
        return test
    return _select_entries(test, candidates[test.indices])


def evaluate_model(
    model: TrainedModel,
    train: sp.csr_matrix,
    test: sp.csr_matrix,
    *,
    k: int = 10,
    candidates: np.ndarray | None = None,
) -> RankingMetrics:
    """Rank for every customer with test columns and score against ``test``.

    ``train`` must be the matrix the model was trained on (its rows are excluded from the
    ranking); ``candidates`` narrows what may be recommended (default: the model's lessons).
    """
    candidates = model.candidate_mask(candidates)
    relevant = _relevant_among(test, candidates)
    customers = np.flatnonzero(np.diff(relevant.indptr) > 0)
    ids, _ = model.recommend_batch(customers, n=k, allowed=candidates, seen=train)
    return ranking_metrics(ids, relevant[customers], k=k, n_candidates=int(candidates.sum()))


def evaluate_scores(
    score_rows,
    train: sp.csr_matrix,
    test: sp.csr_matrix,
    *,
    k: int = 10,
    candidates: np.ndarray | None = None,
) -> RankingMetrics:
    """Evaluate a baseline given ``score_rows(customers) -> dense scores``."""
    n_columns = train.shape[1]
    candidates = np.ones(n_columns, bool) if candidates is None else candidates
    relevant = _relevant_among(test, candidates)
    customers = np.flatnonzero(np.diff(relevant.indptr) > 0)
    penalty = np.where(candidates, 0.0, -np.inf).astype(np.float32)
    ids = np.empty((customers.size, k), dtype=np.int64)
    for start in range(0, customers.size, 4096):
        chunk = customers[start : start + 4096]
        scores = np.asarray(score_rows(chunk), dtype=np.float32) + penalty
        _mask_rows(scores, train[chunk])
        top = _top_indices(scores, min(k, n_columns))
        finite = np.isfinite(np.take_along_axis(scores, top, axis=1))
        ids[start : start + chunk.size] = np.pad(
            np.where(finite, top, -1), ((0, 0), (0, k - top.shape[1])), constant_values=-1
        )
    return ranking_metrics(ids, relevant[customers], k=k, n_candidates=int(candidates.sum()))


def evaluate_popularity(
    train: sp.csr_matrix, test: sp.csr_matrix, *, k: int = 10, candidates: np.ndarray | None = None
) -> RankingMetrics:
    """Baseline: the columns most customers interacted with in training."""
    popularity = np.bincount(train.indices, minlength=train.shape[1]).astype(np.float32)
    return evaluate_scores(
        lambda chunk: np.broadcast_to(popularity, (chunk.size, popularity.size)),
        train,
        test,
        k=k,
        candidates=candidates,
    )


def evaluate_random(
    train: sp.csr_matrix,
    test: sp.csr_matrix,
    *,
    k: int = 10,
    candidates: np.ndarray | None = None,
    random_state: int = 42,
) -> RankingMetrics:
    """Baseline: a seeded random ranking per customer."""
    generator = np.random.default_rng(random_state)
    return evaluate_scores(
        lambda chunk: generator.random((chunk.size, train.shape[1]), dtype=np.float32),
        train,
        test,
        k=k,
        candidates=candidates,
    )
