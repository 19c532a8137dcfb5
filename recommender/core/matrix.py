"""The usage matrix: customers x columns, where columns are lessons and product signals.

Column keys follow one convention shared with the Django layer: lessons are
``lesson:<id>``, product signals ``<kind>:<feature_key>`` (``used:invoices``,
``error:exports``, ``ticket:exports``). Both share one matrix so that customers with similar
usage get the lessons that helped similar customers; only lesson columns are ever served.

Id maps are sorted numpy unicode arrays, so a key is found with a binary search and the maps
can be stored in an ``.npz`` file without pickle.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

LESSON_PREFIX = "lesson:"
KINDS = ("used", "error", "ticket", "lesson")

# Starting weights per signal kind: finishing or opening a lesson and hitting a problem say
# more about what a customer needs than routine feature use. Tune per deployment.
DEFAULT_KIND_WEIGHTS: dict[str, float] = {"used": 1.0, "error": 2.0, "ticket": 3.0, "lesson": 2.0}

SECONDS_PER_DAY = 86_400.0


@dataclass(frozen=True)
class Coded:
    """Keys given as positions in ``names``, sorted and distinct (an already factorised
    column): how a reader hands over millions of repeated strings without building them."""

    names: np.ndarray
    codes: np.ndarray

    def __post_init__(self) -> None:
        names = np.asarray(self.names, dtype=str)
        if names.size > 1 and not (names[1:] > names[:-1]).all():
            raise ValueError("Coded names must be sorted and distinct")
        object.__setattr__(self, "names", names)
        object.__setattr__(self, "codes", np.asarray(self.codes, dtype=np.int64))

    @property
    def shape(self) -> tuple[int]:
        return self.codes.shape

    def decoded(self) -> np.ndarray:
        return self.names[self.codes]


Keys = np.ndarray | Coded


@dataclass(frozen=True)
class BM25Weighting:
    """BM25 settings and the per-column statistics needed to weight a new customer's row.

    implicit's ``bm25_weight`` is applied to the columns x customers matrix, as in implicit's
    own examples: each customer acts as a term (idf from how many columns they touched) and
    each column as a document (length normalised by its total weight).
    """

    k1: float
    b: float
    column_length_norm: np.ndarray  # (n_columns,) float32

    def weight_row(self, indices: np.ndarray, values: np.ndarray) -> np.ndarray:
        """Weight one customer's row exactly as the training matrix was weighted."""
        n_columns = self.column_length_norm.shape[0]
        idf = np.log(n_columns) - np.log1p(len(indices))
        norm = self.column_length_norm[indices]
        weighted = values * (self.k1 + 1.0) / (self.k1 * norm + values) * idf
        # implicit's idf goes negative for a customer who touched most columns; a negative
        # confidence would mean "dislikes" to ALS, so such entries are floored at zero.
        return np.maximum(weighted, 0.0).astype(np.float32)


@dataclass
class UsageMatrix:
    """A customers x columns CSR matrix with its id maps.

    Attributes
    ----------
    matrix : scipy.sparse.csr_matrix
        float32 confidences, customers x columns, canonical (sorted, no duplicates).
    customer_ids, column_ids : numpy.ndarray
        Sorted unicode arrays; row ``i`` is ``customer_ids[i]``, column ``j`` is
        ``column_ids[j]``.
    first_seen, first_position : numpy.ndarray or None
        Aligned with ``matrix.data``: for each (customer, column) pair, the timestamp of its
        first event (the input position if there were no timestamps) and the input position
        of its earliest event, which breaks ties. Used for time-based splits.
    kind_weights, half_life_days : settings used to build the matrix, kept so that a
        customer's new events can be weighted the same way when folded in.
    bm25 : BM25Weighting or None
        Set when the matrix has been BM25-weighted.
    """

    matrix: sp.csr_matrix
    customer_ids: np.ndarray
    column_ids: np.ndarray
    first_seen: np.ndarray | None = None
    first_position: np.ndarray | None = None
    kind_weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_KIND_WEIGHTS))
    half_life_days: float | None = None
    bm25: BM25Weighting | None = None

    @property
    def shape(self) -> tuple[int, int]:
        return self.matrix.shape

    @property
    def lesson_mask(self) -> np.ndarray:
        """Boolean mask over columns: True where the column is a lesson."""
        return lesson_mask(self.column_ids)

    def customer_index(self, customer_id: str) -> int | None:
        """Row index of ``customer_id``, or None if unknown."""
        return _index_of(self.customer_ids, customer_id)

    def column_index(self, column_id: str) -> int | None:
        """Column index of ``column_id``, or None if unknown."""
        return _index_of(self.column_ids, column_id)

    def column_indices(self, column_ids: np.ndarray | list[str]) -> np.ndarray:
        """Column indices of ``column_ids``; unknown keys get -1."""
        return indices_of(self.column_ids, column_ids)

    def customer_indices(self, customer_ids: np.ndarray | list[str]) -> np.ndarray:
        """Row indices of ``customer_ids``; unknown keys get -1."""
        return indices_of(self.customer_ids, customer_ids)


def lesson_mask(column_ids: np.ndarray) -> np.ndarray:
    """True for columns whose key starts with ``lesson:``."""
    return np.char.startswith(np.asarray(column_ids, dtype=str), LESSON_PREFIX)


def indices_of(sorted_ids: np.ndarray, keys: np.ndarray | list[str]) -> np.ndarray:
    """Positions of ``keys`` in the sorted id map ``sorted_ids``; -1 where a key is absent."""
    keys = np.asarray(keys, dtype=str)
    if sorted_ids.size == 0:
        return np.full(keys.shape, -1, dtype=np.int64)
    positions = np.searchsorted(sorted_ids, keys)
    positions = np.minimum(positions, sorted_ids.size - 1)
    found = sorted_ids[positions] == keys
    return np.where(found, positions, -1).astype(np.int64)


def factorize(keys: Keys) -> tuple[np.ndarray, np.ndarray]:
    """Sorted distinct keys (as strings) and each key's position among them (like
    ``np.unique``).

    ``Coded`` keys are factorised already; integer keys (database ids) are factorised as
    numbers and only their distinct values turned into strings. Sorting millions of
    fixed-width unicode strings is slow in numpy (about 3 s for 2M keys), so string keys
    are first reduced to 64-bit polynomial hashes, which sort fast; only the distinct keys
    are then sorted as strings. A hash collision is detected by comparing every key with
    its representative, and falls back to ``np.unique``.
    """
    if isinstance(keys, Coded):
        return keys.names, keys.codes
    keys = np.asarray(keys)
    if keys.dtype.kind in "iu":
        numbers, codes = _factorize_integers(keys)
        return _sorted_as_strings(numbers.astype(str), codes)
    if keys.dtype.kind != "U":
        keys = keys.astype(str)
    if keys.size == 0 or keys.dtype.itemsize == 0:
        distinct, codes = np.unique(keys, return_inverse=True)
        return distinct, codes.ravel()
    hashes = _hash_strings(keys)
    by_hash = np.argsort(hashes)
    sorted_hashes = hashes[by_hash]
    starts = np.r_[True, sorted_hashes[1:] != sorted_hashes[:-1]]
    codes = np.empty(keys.size, dtype=np.int64)
    codes[by_hash] = np.cumsum(starts) - 1
    representatives = keys[by_hash[starts]]
    # Two different keys with one hash would merge two customers' rows: check every key
    # against its representative (in chunks, to avoid a second copy of all keys).
    for start in range(0, keys.size, 262_144):
        chunk = slice(start, start + 262_144)
        if not np.array_equal(representatives[codes[chunk]], keys[chunk]):
            distinct, codes = np.unique(keys, return_inverse=True)
            return distinct, codes.ravel()
    return _sorted_as_strings(representatives, codes)


def _factorize_integers(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct integers and codes; without a sort when the values are dense enough (as
    database ids are): a table of present values, numbered by a running count."""
    if keys.size and keys.min() >= 0 and keys.max() < 4 * keys.size + 1_000_000:
        present = np.zeros(int(keys.max()) + 1, dtype=bool)
        present[keys] = True
        return np.flatnonzero(present), (np.cumsum(present) - 1)[keys]
    numbers, codes = np.unique(keys, return_inverse=True)
    return numbers, codes.ravel()


def _sorted_as_strings(distinct: np.ndarray, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sort the distinct keys as strings and renumber the codes to match."""
    order = np.argsort(distinct)
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    return distinct[order], rank[codes]


def _hash_strings(keys: np.ndarray, chunk_rows: int = 8_192) -> np.ndarray:
    """64-bit polynomial hash of each fixed-width unicode string, vectorised.

    Each UCS-4 code point is one 32-bit word; rows go in chunks that fit the CPU cache,
    because each pass reads one word per row.
    """
    words = keys.view(np.uint32).reshape(keys.size, -1)
    hashes = np.empty(keys.size, dtype=np.uint64)
    multiplier = np.uint64(0x100000001B3)
    with np.errstate(over="ignore"):
        for start in range(0, keys.size, chunk_rows):
            block = words[start : start + chunk_rows]
            value = np.zeros(block.shape[0], dtype=np.uint64)
            for position in range(block.shape[1]):
                value *= multiplier
                value += block[:, position]
            hashes[start : start + block.shape[0]] = value
    return hashes


def _index_of(sorted_ids: np.ndarray, key: str) -> int | None:
    position = int(np.searchsorted(sorted_ids, key))
    if position < sorted_ids.size and sorted_ids[position] == key:
        return position
    return None


def event_weights(
    kinds: Keys | None,
    weights: np.ndarray | None,
    timestamps: np.ndarray | None,
    *,
    n_events: int,
    kind_weights: dict[str, float] | None = None,
    half_life_days: float | None = None,
    now: float | None = None,
) -> np.ndarray:
    """Per-event confidence: row weight x kind weight x recency decay (float64)."""
    values = np.ones(n_events) if weights is None else np.asarray(weights, dtype=np.float64)
    if kinds is not None:
        kind_weights = DEFAULT_KIND_WEIGHTS if kind_weights is None else kind_weights
        if isinstance(kinds, Coded):
            per_name = np.array([kind_weights.get(name, np.nan) for name in kinds.names])
            per_event = per_name[kinds.codes]
            kinds = kinds.decoded() if np.isnan(per_event).any() else kinds
        else:
            kinds = np.asarray(kinds, dtype=str)
            # A handful of kinds: one comparison per kind beats factorising millions of
            # strings.
            per_event = np.full(n_events, np.nan)
            for kind, weight in kind_weights.items():
                per_event[kinds == kind] = weight
        if np.isnan(per_event).any():
            unknown = sorted(set(np.unique(kinds[np.isnan(per_event)]).tolist()))
            raise ValueError(f"no weight for event kinds {unknown}; known: {sorted(kind_weights)}")
        values = values * per_event
    if half_life_days is not None:
        if timestamps is None or now is None:
            raise ValueError("recency decay needs timestamps and now")
        age_days = np.maximum(now - np.asarray(timestamps, dtype=np.float64), 0.0)
        age_days /= SECONDS_PER_DAY
        values = values * np.exp2(-age_days / half_life_days)
    return values


def build_usage_matrix(
    customer_keys: Keys,
    column_keys: Keys,
    kinds: Keys | None = None,
    weights: np.ndarray | None = None,
    timestamps: np.ndarray | None = None,
    *,
    kind_weights: dict[str, float] | None = None,
    half_life_days: float | None = None,
    now: float | None = None,
    bm25: bool = False,
    bm25_k1: float = 100.0,
    bm25_b: float = 0.8,
    column_ids: np.ndarray | None = None,
) -> UsageMatrix:
    """Build the customers x columns confidence matrix from parallel event arrays.

    Parameters
    ----------
    customer_keys, column_keys : array of str (or of int ids, or ``Coded``), one per event.
    kinds : array of str (or ``Coded``), optional
        Event kind per row (``used``, ``error``, ``ticket``, ``lesson``), weighted by
        ``kind_weights`` (default ``DEFAULT_KIND_WEIGHTS``). None: every kind weighs 1.
    weights : array of float, optional
        Weight per event (a count, a duration...). None: 1 each.
    timestamps : array of float, optional
        Epoch seconds per event. None: the input order is the time order.
    half_life_days : float, optional
        Exponential recency decay: an event ``half_life_days`` older than ``now`` counts half.
    bm25 : bool
        Apply implicit's BM25 weighting (``K1=bm25_k1``, ``B=bm25_b``) after summing.
    column_ids : array of str, optional
        A fixed, sorted column map (for example a trained model's); events on other columns
        are dropped. None: the columns are the distinct ``column_keys``.

    Returns
    -------
    UsageMatrix
        Duplicate (customer, column) events are summed.
    """
    if not isinstance(customer_keys, Coded):
        customer_keys = np.asarray(customer_keys)
    if not isinstance(column_keys, Coded):
        column_keys = np.asarray(column_keys)
    n_events = customer_keys.shape[0]
    if column_keys.shape[0] != n_events:
        raise ValueError("customer_keys and column_keys must have the same length")

    values = event_weights(
        kinds,
        weights,
        timestamps,
        n_events=n_events,
        kind_weights=kind_weights,
        half_life_days=half_life_days,
        now=now,
    )
    customer_ids, rows = factorize(customer_keys)
    if column_ids is None:
        column_ids, columns = factorize(column_keys)
    else:
        column_ids = np.asarray(column_ids, dtype=str)
        if isinstance(column_keys, Coded):
            columns = indices_of(column_ids, column_keys.names)[column_keys.codes]
        else:
            columns = indices_of(column_ids, column_keys)
    positions = np.arange(n_events, dtype=np.int64)
    times = positions if timestamps is None else np.asarray(timestamps, dtype=np.float64)

    keep = columns >= 0
    if not keep.all():
        rows, columns, values = rows[keep], columns[keep], values[keep]
        times, positions = times[keep], positions[keep]

    matrix, first_seen, first_position = _sum_pairs(
        rows, columns, values, times, positions, shape=(customer_ids.size, column_ids.size)
    )
    usage = UsageMatrix(
        matrix=matrix,
        customer_ids=customer_ids,
        column_ids=column_ids,
        first_seen=first_seen,
        first_position=first_position,
        kind_weights=dict(DEFAULT_KIND_WEIGHTS if kind_weights is None else kind_weights),
        half_life_days=half_life_days,
    )
    return apply_bm25(usage, k1=bm25_k1, b=bm25_b) if bm25 else usage


def _sum_pairs(
    rows: np.ndarray,
    columns: np.ndarray,
    values: np.ndarray,
    times: np.ndarray,
    positions: np.ndarray,
    *,
    shape: tuple[int, int],
) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray]:
    """Sum duplicate (row, column) events into a canonical CSR; keep each pair's first time.

    One integer key per pair sorts into CSR order (row-major, columns ascending), so the CSR
    arrays come straight out of a single sort without scipy's COO conversion.
    """
    n_rows, n_columns = shape
    sort, sorted_keys = _pair_order(rows, columns, n_rows=n_rows, n_columns=n_columns)
    if sort.size:
        starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
        data = np.add.reduceat(values[sort], starts)
        first_seen = np.minimum.reduceat(times[sort], starts).astype(np.float64)
        first_position = np.minimum.reduceat(positions[sort], starts)
    else:
        starts = sort
        data, first_seen, first_position = np.zeros(0), np.zeros(0), np.zeros(0, np.int64)
    unique_keys = sorted_keys[starts]
    indices = (unique_keys % n_columns).astype(np.int32)
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(np.bincount(unique_keys // n_columns, minlength=n_rows), out=indptr[1:])
    matrix = sp.csr_matrix((data.astype(np.float32), indices, indptr), shape=shape)
    matrix.has_sorted_indices = True
    return matrix, first_seen, first_position


def _pair_order(
    rows: np.ndarray, columns: np.ndarray, *, n_rows: int, n_columns: int
) -> tuple[np.ndarray, np.ndarray]:
    """The events' order by (row, column) pair key, and the keys in that order.

    When a key and an event's position fit in 63 bits together, one sort of the combined
    integers gives both: numpy's sort of plain integers is vectorised, about three times
    faster than an argsort. Ties keep their input order either way.
    """
    n_events = rows.size
    position_bits = max(1, int(n_events - 1).bit_length())
    key_bits = max(1, int(n_rows * n_columns - 1).bit_length())
    pair_keys = rows.astype(np.int64) * np.int64(n_columns) + columns.astype(np.int64)
    if key_bits + position_bits > 63:
        sort = np.argsort(pair_keys, kind="stable")
        return sort, pair_keys[sort]
    combined = np.sort((pair_keys << position_bits) | np.arange(n_events, dtype=np.int64))
    return combined & ((1 << position_bits) - 1), combined >> position_bits


def apply_bm25(usage: UsageMatrix, *, k1: float = 100.0, b: float = 0.8) -> UsageMatrix:
    """Return a copy of ``usage`` weighted with implicit's ``bm25_weight``.

    The weighting statistics are recorded on the result so that a customer's row can be
    weighted identically at serving time (see ``BM25Weighting.weight_row``).
    """
    from implicit.nearest_neighbours import bm25_weight

    if usage.bm25 is not None:
        raise ValueError("matrix is already BM25-weighted")
    matrix = usage.matrix
    weighted = bm25_weight(matrix.T, K1=k1, B=b).T.tocsr()
    weighted.data = np.maximum(weighted.data, 0.0).astype(np.float32)
    weighted.sort_indices()
    column_totals = np.asarray(matrix.sum(axis=0)).ravel()
    mean_total = column_totals.mean() if column_totals.size else 1.0
    length_norm = (1.0 - b) + b * column_totals / (mean_total or 1.0)

    # bm25_weight keeps the sparsity pattern, so first_seen stays aligned with data once both
    # are in canonical order; zeros are kept on purpose for the same reason.
    return UsageMatrix(
        matrix=weighted,
        customer_ids=usage.customer_ids,
        column_ids=usage.column_ids,
        first_seen=usage.first_seen,
        first_position=usage.first_position,
        kind_weights=usage.kind_weights,
        half_life_days=usage.half_life_days,
        bm25=BM25Weighting(k1=k1, b=b, column_length_norm=length_norm.astype(np.float32)),
    )


def with_matrix(
    usage: UsageMatrix,
    matrix: sp.csr_matrix,
    first_seen: np.ndarray | None = None,
    first_position: np.ndarray | None = None,
) -> UsageMatrix:
    """A UsageMatrix sharing ``usage``'s id maps and settings but holding another matrix."""
    return UsageMatrix(
        matrix=matrix,
        customer_ids=usage.customer_ids,
        column_ids=usage.column_ids,
        first_seen=first_seen,
        first_position=first_position,
        kind_weights=usage.kind_weights,
        half_life_days=usage.half_life_days,
        bm25=usage.bm25,
    )
