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
from recommender.core.serving import TrainedModel

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


def evaluate_ranking(
    ranking_for,
    train: sp.csr_matrix,
    test: sp.csr_matrix,
    *,
    k: int = 10,
    candidates: np.ndarray | None = None,
) -> RankingMetrics:
    """Evaluate a baseline that ranks candidates without scoring every column.

    ``ranking_for(customers, length)`` returns, per customer, ``length`` candidate column
    indices best first; the first ``k`` the customer has not seen in training are shown.
    Looking only ``k + (columns seen)`` deep keeps this cheap on wide catalogues.
    """
    n_columns = train.shape[1]
    candidates = np.ones(n_columns, bool) if candidates is None else candidates
    relevant = _relevant_among(test, candidates)
    customers = np.flatnonzero(np.diff(relevant.indptr) > 0)
    seen_counts = np.diff(train.indptr)
    n_candidates = int(candidates.sum())
    ids = np.full((customers.size, k), -1, dtype=np.int64)
    for start in range(0, customers.size, 1024):
        chunk = customers[start : start + 1024]
        length = min(n_candidates, k + int(seen_counts[chunk].max(initial=0)))
        ranked = ranking_for(chunk, length)
        rows = train[chunk]
        seen_keys = np.repeat(np.arange(chunk.size), np.diff(rows.indptr)) * n_columns
        seen_keys = seen_keys + rows.indices  # sorted: CSR rows in order, columns sorted
        keys = np.arange(chunk.size)[:, None] * n_columns + ranked
        where = np.minimum(np.searchsorted(seen_keys, keys), max(seen_keys.size - 1, 0))
        unseen = seen_keys[where] != keys if seen_keys.size else np.ones(keys.shape, bool)
        first = np.argsort(~unseen, axis=1, kind="stable")[:, :k]
        shown = np.where(
            np.take_along_axis(unseen, first, axis=1),
            ranked[np.arange(chunk.size)[:, None], first],
            -1,
        )
        ids[start : start + chunk.size, : shown.shape[1]] = shown
    return ranking_metrics(ids, relevant[customers], k=k, n_candidates=n_candidates)


def evaluate_popularity(
    train: sp.csr_matrix, test: sp.csr_matrix, *, k: int = 10, candidates: np.ndarray | None = None
) -> RankingMetrics:
    """Baseline: the columns most customers interacted with in training."""
    candidates = np.ones(train.shape[1], bool) if candidates is None else candidates
    popularity = np.bincount(train.indices, minlength=train.shape[1])
    columns = np.flatnonzero(candidates)
    order = columns[np.argsort(-popularity[columns], kind="stable")]
    return evaluate_ranking(
        lambda chunk, length: np.broadcast_to(order[:length], (chunk.size, length)),
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
    """Baseline: a seeded random ranking per customer.

    Each customer reads one random permutation of the candidates from their own random
    starting point: every customer's ranking is uniformly random, at the cost of one
    permutation per block of customers instead of one per customer.
    """
    candidates = np.ones(train.shape[1], bool) if candidates is None else candidates
    generator = np.random.default_rng(random_state)
    columns = np.flatnonzero(candidates)

    def ranking_for(chunk: np.ndarray, length: int) -> np.ndarray:
        permutation = generator.permutation(columns)
        offsets = generator.integers(0, columns.size, size=chunk.size)
        return permutation[(offsets[:, None] + np.arange(length)) % columns.size]

    return evaluate_ranking(ranking_for, train, test, k=k, candidates=candidates)
