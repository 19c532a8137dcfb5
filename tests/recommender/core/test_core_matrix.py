"""build_usage_matrix: id maps, weights, decay, duplicates, BM25."""

from __future__ import annotations

import numpy as np
import pytest

from recommender.core.matrix import SECONDS_PER_DAY, build_usage_matrix, lesson_mask


def test_duplicates_are_summed_and_id_maps_sorted():
    usage = build_usage_matrix(
        np.array(["c2", "c1", "c2"]),
        np.array(["lesson:1", "used:invoices", "lesson:1"]),
        weights=np.array([1.0, 2.0, 3.0]),
    )
    assert list(usage.customer_ids) == ["c1", "c2"]
    assert list(usage.column_ids) == ["lesson:1", "used:invoices"]
    assert usage.matrix.dtype == np.float32
    assert usage.matrix.toarray().tolist() == [[0.0, 2.0], [4.0, 0.0]]


def test_kind_weights_multiply_row_weights():
    usage = build_usage_matrix(
        np.array(["c", "c"]),
        np.array(["error:exports", "ticket:exports"]),
        np.array(["error", "ticket"]),
        weights=np.array([2.0, 1.0]),
        kind_weights={"error": 3.0, "ticket": 5.0},
    )
    assert usage.matrix.toarray().tolist() == [[6.0, 5.0]]


def test_unknown_kind_is_rejected():
    with pytest.raises(ValueError, match="no weight for event kinds"):
        build_usage_matrix(np.array(["c"]), np.array(["x:y"]), np.array(["clicked"]))


def test_recency_decay_halves_weight_per_half_life():
    now = 1_000 * SECONDS_PER_DAY
    usage = build_usage_matrix(
        np.array(["c", "c", "c"]),
        np.array(["used:a", "used:b", "used:c"]),
        timestamps=np.array([now, now - 7 * SECONDS_PER_DAY, now - 14 * SECONDS_PER_DAY]),
        half_life_days=7,
        now=now,
    )
    np.testing.assert_allclose(usage.matrix.toarray()[0], [1.0, 0.5, 0.25], rtol=1e-6)


def test_lesson_mask_marks_lesson_columns_only():
    columns = np.array(["error:exports", "lesson:12", "used:lesson:3"])
    assert lesson_mask(columns).tolist() == [False, True, False]


def test_key_index_helpers_round_trip(checkerboard):
    index = checkerboard.column_index("lesson:a3")
    assert checkerboard.column_ids[index] == "lesson:a3"
    assert checkerboard.column_index("lesson:missing") is None
    assert checkerboard.column_indices(["lesson:b0", "nope"]).tolist()[1] == -1
    assert checkerboard.customer_index("a-customer-0") is not None


def test_fixed_column_map_drops_unknown_columns():
    usage = build_usage_matrix(
        np.array(["c", "c"]),
        np.array(["lesson:1", "lesson:new"]),
        column_ids=np.array(["lesson:1", "lesson:2"]),
    )
    assert usage.matrix.shape == (1, 2)
    assert usage.matrix.toarray().tolist() == [[1.0, 0.0]]


def test_first_seen_follows_timestamps_then_input_order():
    usage = build_usage_matrix(
        np.array(["c", "c", "c", "c"]),
        np.array(["x:b", "x:a", "x:b", "x:c"]),
        timestamps=np.array([5.0, 9.0, 1.0, 5.0]),
    )
    # time order: x:b@1 (row 2), x:b@5 (row 0), x:c@5 (row 3), x:a@9 (row 1)
    first = dict(zip(usage.column_ids[usage.matrix.indices], usage.first_seen, strict=True))
    assert first["x:b"] < first["x:c"] < first["x:a"]


def test_bm25_keeps_sparsity_and_records_statistics(checkerboard):
    weighted = build_usage_matrix(
        np.array(["c1", "c1", "c2"]), np.array(["x:a", "x:b", "x:a"]), bm25=True
    )
    assert weighted.bm25 is not None
    assert weighted.matrix.nnz == 3
    assert (weighted.matrix.data >= 0).all()
    assert weighted.first_seen.shape == weighted.matrix.data.shape
