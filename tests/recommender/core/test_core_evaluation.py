"""Evaluation: the time-based split rule and metrics on hand-computed examples."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.sparse as sp
from conftest import SMALL_CONFIGS

from recommender.core.evaluation import (
    evaluate_model,
    evaluate_popularity,
    evaluate_random,
    ranking_metrics,
    time_split,
)
from recommender.core.matrix import build_usage_matrix
from recommender.core.selection import select_model
from recommender.core.training import train_model


def events_for(customer: str, items: list[str], start: float = 0.0):
    return [(customer, item, start + position) for position, item in enumerate(items)]


def usage_from(events):
    customers, items, times = zip(*events, strict=True)
    return build_usage_matrix(np.array(customers), np.array(items), timestamps=np.array(times))


def test_latest_fifth_by_first_appearance_goes_to_test():
    items = [f"x:{number}" for number in range(10)]
    # x:0 is repeated at the very end: it was first seen first, so it stays in train.
    usage = usage_from(events_for("c", items) + [("c", "x:0", 100.0)])
    split = time_split(usage)
    test_items = set(usage.column_ids[split.test.indices])
    assert test_items == {"x:8", "x:9"}
    assert split.train.matrix.nnz == 8
    assert split.train.matrix[0, usage.column_index("x:0")] == 2.0


def test_at_least_one_item_is_held_out_from_five():
    usage = usage_from(events_for("c", ["x:a", "x:b", "x:c", "x:d", "x:e"]))
    split = time_split(usage)
    assert usage.column_ids[split.test.indices].tolist() == ["x:e"]


def test_customers_with_fewer_than_five_items_stay_in_train():
    usage = usage_from(events_for("c", ["x:a", "x:b", "x:c", "x:d"]))
    split = time_split(usage)
    assert split.test.nnz == 0
    assert split.train.matrix.nnz == 4


def test_split_uses_file_order_when_there_are_no_timestamps():
    items = [f"x:{number}" for number in (5, 3, 9, 1, 7)]
    usage = build_usage_matrix(np.array(["c"] * 5), np.array(items))
    split = time_split(usage)
    assert usage.column_ids[split.test.indices].tolist() == ["x:7"]


def test_equal_timestamps_are_ordered_by_file_position():
    items = ["x:e", "x:d", "x:c", "x:b", "x:a"]
    usage = build_usage_matrix(np.array(["c"] * 5), np.array(items), timestamps=np.zeros(5))
    split = time_split(usage)
    assert usage.column_ids[split.test.indices].tolist() == ["x:a"]


def test_metrics_match_a_hand_computed_example():
    recommended = np.array([[5, 1, 2], [3, -1, -1], [0, 1, 2]])
    relevant = sp.csr_matrix(
        (np.ones(3), ([0, 0, 1], [1, 7, 3])), shape=(3, 10)
    )  # customer 2 has nothing relevant and is left out
    metrics = ranking_metrics(recommended, relevant, k=3)
    ndcg_first = (1 / math.log2(3)) / (1 + 1 / math.log2(3))
    assert metrics.customers == 2
    assert metrics.precision == pytest.approx((1 / 3 + 1 / 3) / 2)
    assert metrics.recall == pytest.approx((1 / 2 + 1) / 2)
    assert metrics.ndcg == pytest.approx((ndcg_first + 1) / 2)
    assert metrics.map == pytest.approx((0.25 + 1) / 2)
    assert metrics.coverage == pytest.approx(4 / 10)


def test_perfect_ranking_scores_one():
    recommended = np.array([[4, 2, 0]])
    relevant = sp.csr_matrix((np.ones(2), ([0, 0], [2, 4])), shape=(1, 5))
    metrics = ranking_metrics(recommended, relevant, k=3)
    assert metrics.ndcg == pytest.approx(1.0)
    assert metrics.map == pytest.approx(1.0)
    assert metrics.recall == pytest.approx(1.0)


def checkerboard_split(checkerboard):
    # Everyone has 7 columns; time order = input order, so each customer's last lesson
    # is their test item.
    return time_split(checkerboard)


def test_models_beat_random_on_the_checkerboard(checkerboard):
    split = checkerboard_split(checkerboard)
    train, test = split.train.matrix, split.test
    lessons = checkerboard.lesson_mask
    model = train_model(split.train, SMALL_CONFIGS["als"])
    learned = evaluate_model(model, train, test, k=3)
    random = evaluate_random(train, test, k=3, candidates=lessons)
    popular = evaluate_popularity(train, test, k=3, candidates=lessons)
    assert learned.customers == random.customers == popular.customers == 60
    assert learned.ndcg > random.ndcg
    assert evaluate_random(train, test, k=3, candidates=lessons) == random  # seeded


def test_selection_picks_a_candidate_and_refits_on_all_data(checkerboard):
    candidates = [SMALL_CONFIGS["item_knn_cosine"], SMALL_CONFIGS["als"]]
    result = select_model(checkerboard, candidates)
    assert [trial.config for trial in result.trials] == candidates
    best = max(result.trials, key=lambda trial: trial.ndcg)
    assert result.config == best.config
    assert result.model.customer_ids.size == checkerboard.shape[0]
    assert result.model.user_items.nnz == checkerboard.matrix.nnz
