"""Every algorithm, run against the checkerboard whose right answer is known."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import SMALL_CONFIGS, group_lessons

from recommender.core.algorithms import ModelConfig
from recommender.core.training import train_model

ALGORITHM_NAMES = sorted(SMALL_CONFIGS)


def train(usage, name: str, **options):
    # BPR's SGD is lock-free across threads; one thread makes it reproducible.
    return train_model(usage, SMALL_CONFIGS[name], num_threads=1, **options)


@pytest.mark.parametrize("name", ALGORITHM_NAMES)
def test_known_customer_gets_lessons_from_their_group(checkerboard, name):
    model = train(checkerboard, name)
    for group in ("a", "b"):
        recommended = model.recommend(f"{group}-customer-0", n=3).column_ids
        assert len(recommended) == 3
        assert set(recommended) <= set(group_lessons(group))


@pytest.mark.parametrize("name", ALGORITHM_NAMES)
def test_new_customer_is_folded_in_to_their_group(checkerboard, name):
    model = train(checkerboard, name)
    row = model.row_from_events(
        ["used:feature-b", "lesson:b0", "lesson:b1"], kinds=["used", "lesson", "lesson"]
    )
    recommended = model.recommend(row=row, n=3).column_ids
    assert set(recommended) <= set(group_lessons("b")) - {"lesson:b0", "lesson:b1"}


@pytest.mark.parametrize("name", ALGORITHM_NAMES)
def test_same_random_state_gives_the_same_model(checkerboard, name):
    first, second = train(checkerboard, name), train(checkerboard, name)
    for attribute in ("user_factors", "item_factors"):
        if getattr(first, attribute) is not None:
            np.testing.assert_array_equal(getattr(first, attribute), getattr(second, attribute))
    if first.similarity is not None:
        assert (first.similarity != second.similarity).nnz == 0


def test_als_fold_in_matches_implicit_recalculate_user(checkerboard):
    from implicit.als import AlternatingLeastSquares

    config = SMALL_CONFIGS["als"]
    model = train(checkerboard, "als")
    reference = AlternatingLeastSquares(**config.hyperparameters, random_state=42)
    reference.fit(checkerboard.matrix, show_progress=False)
    index = checkerboard.customer_index("a-customer-3")
    expected = reference.recalculate_user(index, checkerboard.matrix[index])
    np.testing.assert_allclose(
        model.fold_in(model.known_row("a-customer-3")), expected, rtol=1e-3, atol=1e-5
    )


def test_bm25_config_weights_the_matrix_and_keeps_statistics(checkerboard):
    model = train_model(checkerboard, ModelConfig("als", {"factors": 4}, bm25=True))
    assert model.bm25 is not None
    row = model.known_row("a-customer-0")
    rebuilt = model.row_from_indices(
        *checkerboard.matrix[checkerboard.customer_index("a-customer-0")].nonzero()[1:],
        checkerboard.matrix[checkerboard.customer_index("a-customer-0")].data,
    )
    np.testing.assert_allclose(rebuilt.values, row.values, rtol=1e-5)


def test_unknown_algorithm_or_parameter_is_rejected():
    with pytest.raises(ValueError, match="unknown algorithm"):
        ModelConfig("svd")
    with pytest.raises(ValueError, match="unknown hyper-parameters"):
        ModelConfig("als", {"factor": 3})


def test_als_regularization_defaults_to_a_multiple_of_the_customer_count(checkerboard):
    assert ModelConfig("als").resolved(1_000).hyperparameters["regularization"] == 10.0
    assert ModelConfig("als", {"regularization": 3.0}).resolved(1_000).params == {
        "regularization": 3.0
    }
    model = train_model(checkerboard, ModelConfig("als", {"factors": 4}))
    assert model.config.hyperparameters["regularization"] == pytest.approx(0.6)
