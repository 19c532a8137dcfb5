"""Serving: candidate masks, exclusions, batches, popularity, erasure."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import SMALL_CONFIGS, group_lessons

from recommender.core.training import train_model


@pytest.fixture
def model(checkerboard):
    return train_model(checkerboard, SMALL_CONFIGS["als"], num_threads=1)


def test_signal_columns_are_never_recommended(model):
    recommended = model.recommend("a-customer-0", n=model.n_columns).column_ids
    assert recommended.size > 0
    assert all(key.startswith("lesson:") for key in recommended)


def test_allowed_mask_and_exclusions_are_respected(model):
    allowed = model.column_indices(group_lessons("b") + ["lesson:a1"])
    excluded = model.column_indices(["lesson:b2"])
    recommended = model.recommend(
        "a-customer-0", n=20, allowed=allowed, exclude=excluded, exclude_seen=False
    ).column_ids
    assert set(recommended) == (set(group_lessons("b")) | {"lesson:a1"}) - {"lesson:b2"}


def test_seen_lessons_are_excluded_by_default(model):
    seen = set(model.column_ids[model.known_row("a-customer-0").indices])
    recommended = set(model.recommend("a-customer-0", n=20).column_ids)
    assert recommended and not recommended & seen


def test_boolean_allowed_mask_is_accepted(model):
    allowed = np.zeros(model.n_columns, dtype=bool)
    allowed[model.column_indices(["lesson:a9"])] = True
    result = model.recommend("b-customer-1", n=5, allowed=allowed, exclude_seen=False)
    assert result.column_ids.tolist() == ["lesson:a9"]


def test_unknown_customer_without_events_gets_popular_lessons(model):
    result = model.recommend("never-seen", n=3)
    expected = model.recommend_popular(n=3)
    assert result.column_ids.tolist() == expected.column_ids.tolist()
    popularity = model.popularity[result.indices]
    assert (np.diff(popularity) <= 0).all()


def test_known_customer_with_newer_events_is_folded_in(model):
    history = model.known_row("a-customer-0")
    # the customer switches to group b's product area
    moved = model.row_from_indices(
        np.r_[history.indices, model.column_indices(["used:feature-b"] * 20)],
        np.r_[history.values, np.ones(20)],
    )
    stored = model.scores("a-customer-0")
    folded = model.scores(row=moved)
    b_lessons = model.column_indices(group_lessons("b"))
    assert folded[b_lessons].mean() > stored[b_lessons].mean()


@pytest.mark.parametrize("name", sorted(SMALL_CONFIGS))
def test_batch_matches_single_recommendations(checkerboard, name):
    model = train_model(checkerboard, SMALL_CONFIGS[name], num_threads=1)
    customers = np.arange(0, model.customer_ids.size, 7)
    ids, scores = model.recommend_batch(customers, n=3)
    for position, customer in enumerate(customers):
        single = model.recommend(model.customer_ids[customer], n=3)
        np.testing.assert_allclose(scores[position], single.scores, rtol=1e-4, atol=1e-6)
        assert set(ids[position]) == set(single.indices)


def test_remove_customer_drops_factors_and_row(model):
    before = model.customer_ids.size
    assert model.remove_customer("a-customer-0") is True
    assert model.customer_index("a-customer-0") is None
    assert model.customer_ids.size == model.user_factors.shape[0] == model.user_items.shape[0]
    assert model.customer_ids.size == before - 1
    assert model.remove_customer("a-customer-0") is False
    # the customer is now served like any unknown customer
    assert model.recommend("a-customer-0", n=3).column_ids.tolist() == (
        model.recommend_popular(n=3).column_ids.tolist()
    )
