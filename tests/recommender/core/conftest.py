"""Fixtures for the numeric core: small matrices whose right answer is known.

No database and no Django: these tests run with or without pytest-django.
"""

from __future__ import annotations

import numpy as np
import pytest

from recommender.core.algorithms import ModelConfig
from recommender.core.matrix import UsageMatrix, build_usage_matrix

GROUP_SIZE = 30
LESSONS_PER_GROUP = 10

# Small hyper-parameters so every algorithm fits the checkerboard in milliseconds.
SMALL_CONFIGS = {
    "als": ModelConfig("als", {"factors": 4, "regularization": 0.1, "iterations": 10}),
    "bpr": ModelConfig("bpr", {"factors": 4, "iterations": 200, "learning_rate": 0.05}),
    "item_knn_cosine": ModelConfig("item_knn_cosine", {"K": 10}),
    "item_knn_bm25": ModelConfig("item_knn_bm25", {"K": 10}),
}


def group_lessons(group: str) -> list[str]:
    return [f"lesson:{group}{number}" for number in range(LESSONS_PER_GROUP)]


def checkerboard_events(seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Two groups of customers, each using its own half of the lessons and one signal.

    Group ``a`` customers use feature ``a`` and open 6 of the 10 ``lesson:a*`` lessons; group
    ``b`` likewise on the other half. Any sensible model recommends within the group's half.
    """
    generator = np.random.default_rng(seed)
    customers, columns, kinds = [], [], []
    for group in ("a", "b"):
        lessons = group_lessons(group)
        for number in range(GROUP_SIZE):
            customer = f"{group}-customer-{number}"
            customers.append(customer)
            columns.append(f"used:feature-{group}")
            kinds.append("used")
            for lesson in generator.choice(lessons, size=6, replace=False):
                customers.append(customer)
                columns.append(str(lesson))
                kinds.append("lesson")
    return np.array(customers), np.array(columns), np.array(kinds)


@pytest.fixture(autouse=True)
def _clear_cache():
    """Override the project-wide cache-clearing fixture: the core never touches Django."""
    yield


@pytest.fixture
def checkerboard() -> UsageMatrix:
    customers, columns, kinds = checkerboard_events()
    return build_usage_matrix(customers, columns, kinds)
