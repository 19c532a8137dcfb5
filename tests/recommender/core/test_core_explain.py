"""Explanations name the history column that drives a score."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import SMALL_CONFIGS

from recommender.core.explain import explain_recommendation
from recommender.core.matrix import build_usage_matrix
from recommender.core.training import train_model


@pytest.fixture
def two_topics():
    """Customers who use exports always need the exports lesson; invoices likewise."""
    customers, columns = [], []
    for number in range(40):
        topic = "exports" if number % 2 else "invoices"
        for column in (f"used:{topic}", f"lesson:{topic}-basics", f"lesson:{topic}-advanced"):
            customers.append(f"c{number}")
            columns.append(column)
    return build_usage_matrix(np.array(customers), np.array(columns))


@pytest.mark.parametrize("name", sorted(SMALL_CONFIGS))
def test_driving_history_column_comes_first(two_topics, name):
    model = train_model(two_topics, SMALL_CONFIGS[name], num_threads=1)
    row = model.row_from_events(["used:exports", "lesson:invoices-basics"], weights=[5.0, 1.0])
    reasons = explain_recommendation(model, "lesson:exports-advanced", row=row, n=2)
    assert reasons[0].column_id == "used:exports"
    assert 0 < reasons[0].share <= 1


def test_als_contributions_add_up_to_the_score(two_topics):
    model = train_model(two_topics, SMALL_CONFIGS["als"])
    row = model.row_from_events(["used:exports", "lesson:invoices-basics"])
    target = model.column_indices(["lesson:exports-basics"])[0]
    reasons = explain_recommendation(model, "lesson:exports-basics", row=row, n=10)
    from recommender.core.explain import _contributions

    total = _contributions(model, row, int(target)).sum()
    assert total == pytest.approx(float(model.scores(row=row)[target]), rel=1e-4)
    assert sum(reason.share for reason in reasons) == pytest.approx(1.0)


def test_known_customer_is_explained_from_their_training_row(two_topics):
    model = train_model(two_topics, SMALL_CONFIGS["als"])
    reasons = explain_recommendation(model, "lesson:exports-advanced", customer_id="c1", n=3)
    assert {reason.column_id for reason in reasons} <= {
        "used:exports",
        "lesson:exports-basics",
        "lesson:exports-advanced",
    }
