"""Serving a trained model: scores, top-n over allowed lessons, fold-in, batches, erasure.

A ``TrainedModel`` holds plain arrays only (factors or a similarity matrix, id maps, the
training rows), so serving never needs implicit's model objects or pickle. Scoring follows
the same maths as implicit: ALS/BPR score ``user_factor . item_factor``, item-kNN scores
``row . similarity``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp
from scipy.linalg import lapack

from recommender.core.algorithms import ModelConfig
from recommender.core.matrix import (
    BM25Weighting,
    _index_of,
    event_weights,
    indices_of,
)

# Batch scoring works in chunks so a 100k-customer batch never needs a 100k x columns
# dense array at once.
BATCH_CHUNK = 4096


class CustomerRow(NamedTuple):
    """One customer's interactions in model space: column indices and confidences."""

    indices: np.ndarray  # int32, ascending, unique
    values: np.ndarray  # float32


class Recommendations(NamedTuple):
    """Top-n result, best first."""

    column_ids: np.ndarray  # unicode keys, e.g. "lesson:42"
    indices: np.ndarray  # column indices in the model
    scores: np.ndarray  # float32


CandidateSpec = np.ndarray | list[int] | None


class FoldInSystem(NamedTuple):
    """A customer's factorised fold-in normal equations (see ``TrainedModel.fold_in_system``)."""

    lu: tuple[np.ndarray, np.ndarray]
    confidence: np.ndarray
    history: np.ndarray  # the history columns' factors

    def solve(self, rhs: np.ndarray) -> np.ndarray:
        # LAPACK directly: scipy.linalg's wrappers cost more than a 64 x 64 solve.
        solution, info = lapack.dgetrs(*self.lu, rhs)
        if info != 0:
            raise np.linalg.LinAlgError(f"dgetrs failed ({info})")
        return solution


@dataclass
class TrainedModel:
    """A ready-to-serve model (see ``recommender.core.artifacts`` for load/save).

    Attributes
    ----------
    config : the ModelConfig it was trained with.
    customer_ids, column_ids : sorted unicode id maps.
    is_lesson : bool mask over columns; only lesson columns are ever recommended.
    user_items : the training matrix as the model saw it (weighted), customers x columns.
    user_factors, item_factors : ALS/BPR factors (None for item-kNN). BPR's last column is
        its item bias, paired with a constant 1 in the user factors.
    similarity : item-kNN columns x columns similarity (None for ALS/BPR).
    popularity : per column, how many customers interacted with it in training.
    kind_weights, half_life_days, bm25 : how raw events become a row (see matrix.py).
    """

    config: ModelConfig
    customer_ids: np.ndarray
    column_ids: np.ndarray
    is_lesson: np.ndarray
    user_items: sp.csr_matrix
    popularity: np.ndarray
    user_factors: np.ndarray | None = None
    item_factors: np.ndarray | None = None
    similarity: sp.csr_matrix | None = None
    kind_weights: dict[str, float] = field(default_factory=dict)
    half_life_days: float | None = None
    bm25: BM25Weighting | None = None
    _fold_in_base: np.ndarray | None = field(default=None, repr=False)
    # The last row's factorised fold-in system: serving one customer folds in and then
    # explains several picks with the same system. Replaced as one tuple (thread-safe).
    _last_fold_in: tuple | None = field(default=None, repr=False)
    _positions: dict[str, int] | None = field(default=None, repr=False)

    # --- identity -----------------------------------------------------------------------

    @property
    def algorithm(self) -> str:
        return self.config.algorithm

    @property
    def n_columns(self) -> int:
        return int(self.column_ids.shape[0])

    @property
    def uses_factors(self) -> bool:
        return self.item_factors is not None

    def customer_index(self, customer_id: str) -> int | None:
        """Row of ``customer_id`` in the model, or None for a customer it has not seen."""
        return _index_of(self.customer_ids, customer_id)

    def column_indices(self, column_ids: np.ndarray | list[str]) -> np.ndarray:
        """Column indices of keys; -1 for keys the model does not know."""
        return indices_of(self.column_ids, column_ids)

    def column_positions(self, column_ids: list[str]) -> np.ndarray:
        """``column_indices`` for a short list, from a dict (no string array per call)."""
        positions = self._positions
        if positions is None:
            positions = {str(key): index for index, key in enumerate(self.column_ids)}
            self._positions = positions
        return np.array([positions.get(key, -1) for key in column_ids], dtype=np.int64)

    # --- rows -----------------------------------------------------------------------------

    def known_row(self, customer_id: str) -> CustomerRow:
        """The customer's training row (empty if unknown)."""
        index = self.customer_index(customer_id)
        if index is None:
            return CustomerRow(np.zeros(0, np.int32), np.zeros(0, np.float32))
        start, end = self.user_items.indptr[index], self.user_items.indptr[index + 1]
        return CustomerRow(self.user_items.indices[start:end], self.user_items.data[start:end])

    def row_from_events(
        self,
        column_keys: np.ndarray | list[str],
        kinds: np.ndarray | list[str] | None = None,
        weights: np.ndarray | list[float] | None = None,
        timestamps: np.ndarray | list[float] | None = None,
        *,
        now: float | None = None,
    ) -> CustomerRow:
        """Weight one customer's raw events exactly as the training matrix was weighted.

        Events on columns the model does not know are ignored. Pass the customer's whole
        history (not only new events): the result replaces their row for fold-in.
        """
        columns = self.column_indices(column_keys)
        values = event_weights(
            None if kinds is None else np.asarray(kinds),
            None if weights is None else np.asarray(weights),
            None if timestamps is None else np.asarray(timestamps),
            n_events=columns.shape[0],
            kind_weights=self.kind_weights or None,
            half_life_days=self.half_life_days if timestamps is not None else None,
            now=now,
        )
        known = columns >= 0
        return self.row_from_indices(columns[known], values[known])

    def row_from_indices(self, indices: np.ndarray, values: np.ndarray) -> CustomerRow:
        """Sum duplicate columns and apply the model's BM25 weighting, if any."""
        indices = np.asarray(indices, dtype=np.int64)
        values = np.asarray(values, dtype=np.float64)
        unique, inverse = np.unique(indices, return_inverse=True)
        summed = np.bincount(inverse.ravel(), weights=values, minlength=unique.size)
        weighted = self.bm25.weight_row(unique, summed) if self.bm25 is not None else summed
        return CustomerRow(unique.astype(np.int32), np.asarray(weighted, dtype=np.float32))

    # --- scoring --------------------------------------------------------------------------

    def fold_in(self, row: CustomerRow) -> np.ndarray:
        """Solve a customer's factor vector from their row, keeping item factors fixed.

        ALS: implicit's ``recalculate_user`` least squares,
        ``x = (YtY + reg I + Yu^T (Cu - I) Yu)^-1 Yu^T Cu p`` with ``Cu = alpha * row``.
        BPR has no exact fold-in; the same least squares on its item factors (bias column
        left out) gives a vector that ranks the customer's neighbourhood first.
        """
        system = self.fold_in_solver(row)
        positive = system.confidence > 0
        rhs = system.history[positive].T @ system.confidence[positive]
        vector = system.solve(rhs).astype(np.float32)
        if self.algorithm == "bpr":
            vector = np.append(vector, np.float32(1.0))
        return vector

    def fold_in_solver(self, row: CustomerRow) -> FoldInSystem:
        """``fold_in_system`` for ``row``, factorised once (kept for the last row)."""
        last = self._last_fold_in
        if last is not None and last[0] is row:
            return last[1]
        gram, confidence, history = self.fold_in_system(row)
        lu, pivots, info = lapack.dgetrf(gram)
        if info != 0:
            raise np.linalg.LinAlgError(f"singular fold-in system ({info})")
        system = FoldInSystem((lu, pivots), confidence, history)
        self._last_fold_in = (row, system)
        return system

    def fold_in_system(self, row: CustomerRow) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The fold-in normal equations for ``row``: (gram matrix, confidences, history factors).

        ``gram = YtY + reg I + Yu^T (|Cu| - I) Yu``; shared by fold-in and ALS explanations.
        """
        if self.item_factors is None:
            raise ValueError("fold-in needs a factor model (ALS or BPR)")
        params = self.config.hyperparameters
        factors = self._factor_part(self.item_factors)
        if self._fold_in_base is None:
            # YtY + reg I depends only on the item factors: computed once per loaded model.
            regularization = float(params["regularization"])
            gram = factors.T.astype(np.float64) @ factors.astype(np.float64)
            self._fold_in_base = gram + regularization * np.eye(gram.shape[0])
        confidence = float(params.get("alpha", 1.0)) * row.values.astype(np.float64)
        history = factors[row.indices].astype(np.float64)
        # implicit treats a negative confidence as "disliked": weight |c| with target 0.
        gram = self._fold_in_base + history.T @ (history * (np.abs(confidence) - 1.0)[:, None])
        return gram, confidence, history

    def customer_vector(self, customer_id: str | None, row: CustomerRow | None) -> np.ndarray:
        """The factor vector used to score: folded in from ``row`` if given, else stored."""
        if row is not None:
            return self.fold_in(row)
        index = None if customer_id is None else self.customer_index(customer_id)
        if index is None:
            raise KeyError(f"unknown customer {customer_id!r} and no row to fold in")
        return self.user_factors[index]

    def scores(self, customer_id: str | None = None, row: CustomerRow | None = None) -> np.ndarray:
        """Scores over all columns for one customer (known by id, or folded in from ``row``)."""
        if self.uses_factors:
            return self.item_factors @ self.customer_vector(customer_id, row)
        if row is None:
            row = self.known_row(customer_id) if customer_id is not None else None
        if row is None:
            raise KeyError("item-kNN scoring needs the customer's row")
        return _row_times_similarity(row, self.similarity)

    def candidate_mask(self, allowed: CandidateSpec = None, exclude: CandidateSpec = None):
        """Lesson columns, narrowed to ``allowed`` and minus ``exclude``.

        Both accept a boolean mask over all columns or an array of column indices.
        """
        mask = self.is_lesson.copy()
        if allowed is not None:
            mask &= _as_mask(allowed, self.n_columns)
        if exclude is not None:
            excluded = np.asarray(exclude)
            if excluded.dtype == bool:
                mask &= ~excluded
            else:
                mask[excluded] = False
        return mask

    def recommend(
        self,
        customer_id: str | None = None,
        *,
        row: CustomerRow | None = None,
        n: int = 10,
        allowed: CandidateSpec = None,
        exclude: CandidateSpec = None,
        exclude_seen: bool = True,
    ) -> Recommendations:
        """Top-``n`` lessons for one customer.

        Parameters
        ----------
        customer_id : a customer the model knows (stored factors), or None.
        row : the customer's current row (``row_from_events``); when given the customer is
            folded in from it, which covers new customers and known ones with newer events.
        allowed : columns that may be recommended (published, right locale and workspace,
            prerequisites met...), as a boolean mask or index array. Lessons only in any case.
        exclude : columns never to recommend (completed lessons...).
        exclude_seen : also drop the columns in the customer's row.

        A customer unknown to the model with no row gets the popularity ranking.
        """
        if row is None and (customer_id is None or self.customer_index(customer_id) is None):
            return self.recommend_popular(n=n, allowed=allowed, exclude=exclude)
        mask = self.candidate_mask(allowed, exclude)
        if exclude_seen:
            seen = row if row is not None else self.known_row(customer_id)
            mask[seen.indices] = False
        scores = self.scores(customer_id, row)
        return self._top(np.where(mask, scores, -np.inf), n, mask)

    def recommend_popular(
        self, *, n: int = 10, allowed: CandidateSpec = None, exclude: CandidateSpec = None
    ) -> Recommendations:
        """Most popular allowed lessons: for cold start and opted-out customers."""
        mask = self.candidate_mask(allowed, exclude)
        scores = np.where(mask, self.popularity, -np.inf).astype(np.float32)
        return self._top(scores, n, mask)

    def _top(self, scores: np.ndarray, n: int, mask: np.ndarray) -> Recommendations:
        n = min(n, int(mask.sum()))
        if n <= 0:
            empty = np.zeros(0, np.int64)
            return Recommendations(self.column_ids[empty], empty, np.zeros(0, np.float32))
        best = _top_indices(scores[None, :], n)[0]
        return Recommendations(self.column_ids[best], best, scores[best].astype(np.float32))

    def recommend_batch(
        self,
        customer_indices: np.ndarray,
        *,
        n: int = 10,
        allowed: CandidateSpec = None,
        exclude_seen: bool = True,
        seen: sp.csr_matrix | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Top-``n`` column indices and scores for many known customers at once.

        Vectorised: one matrix product per chunk, mask, ``argpartition``. ``seen`` overrides
        the rows used for ``exclude_seen`` (defaults to the training rows). Customers with
        fewer than ``n`` candidates get -1 / -inf padding.
        """
        customer_indices = np.asarray(customer_indices, dtype=np.int64)
        mask = self.candidate_mask(allowed)
        n = max(0, min(n, int(mask.sum())))
        seen = self.user_items if seen is None else seen
        all_ids = np.empty((customer_indices.size, n), dtype=np.int64)
        all_scores = np.empty((customer_indices.size, n), dtype=np.float32)
        penalty = np.where(mask, 0.0, -np.inf).astype(np.float32)
        for start in range(0, customer_indices.size, BATCH_CHUNK):
            chunk = customer_indices[start : start + BATCH_CHUNK]
            if self.uses_factors:
                scores = self.user_factors[chunk] @ self.item_factors.T
            else:
                scores = np.asarray((self.user_items[chunk] @ self.similarity).todense())
            scores = scores.astype(np.float32, copy=False) + penalty
            if exclude_seen:
                _mask_rows(scores, seen[chunk])
            ids = _top_indices(scores, n)
            top_scores = np.take_along_axis(scores, ids, axis=1)
            ids = np.where(np.isfinite(top_scores), ids, -1)
            all_ids[start : start + chunk.size] = ids
            all_scores[start : start + chunk.size] = top_scores
        return all_ids, all_scores

    # --- erasure --------------------------------------------------------------------------

    def remove_customer(self, customer_id: str) -> bool:
        """Drop a customer's factors and row from this in-memory model at once.

        Returns False if the model did not know them. Item factors and similarities are
        aggregates over all customers; the next retrain removes their influence there.
        Re-save with ``artifacts.save_model`` to make the erasure durable.
        """
        index = self.customer_index(customer_id)
        if index is None:
            return False
        start, end = self.user_items.indptr[index], self.user_items.indptr[index + 1]
        self.popularity[self.user_items.indices[start:end]] -= 1
        keep = np.ones(self.customer_ids.shape[0], dtype=bool)
        keep[index] = False
        self.customer_ids = self.customer_ids[keep]
        self.user_items = self.user_items[keep]
        if self.user_factors is not None:
            self.user_factors = self.user_factors[keep]
        return True

    def _factor_part(self, factors: np.ndarray) -> np.ndarray:
        # BPR appends an item-bias column (paired with a constant 1 in the user factors).
        return factors[:, :-1] if self.algorithm == "bpr" else factors


def _as_mask(spec: np.ndarray | list[int], size: int) -> np.ndarray:
    spec = np.asarray(spec)
    if spec.dtype == bool:
        if spec.shape != (size,):
            raise ValueError(f"boolean mask must have one entry per column ({size})")
        return spec
    mask = np.zeros(size, dtype=bool)
    mask[spec.astype(np.int64)] = True
    return mask


def _row_times_similarity(row: CustomerRow, similarity: sp.csr_matrix) -> np.ndarray:
    scores = np.zeros(similarity.shape[1], dtype=np.float32)
    for column, value in zip(row.indices, row.values, strict=True):
        start, end = similarity.indptr[column], similarity.indptr[column + 1]
        scores[similarity.indices[start:end]] += value * similarity.data[start:end]
    return scores


def _mask_rows(scores: np.ndarray, rows: sp.csr_matrix) -> None:
    """Set ``scores[i, j] = -inf`` wherever ``rows[i, j]`` is stored."""
    counts = np.diff(rows.indptr)
    scores[np.repeat(np.arange(rows.shape[0]), counts), rows.indices] = -np.inf


def _top_indices(scores: np.ndarray, n: int) -> np.ndarray:
    """Indices of the ``n`` largest scores per row, best first (ties by column order)."""
    if n >= scores.shape[1]:
        return np.argsort(-scores, axis=1, kind="stable")[:, :n]
    part = np.argpartition(-scores, n - 1, axis=1)[:, :n]
    part_scores = np.take_along_axis(scores, part, axis=1)
    order = np.lexsort((part, -part_scores), axis=1)
    return np.take_along_axis(part, order, axis=1)
