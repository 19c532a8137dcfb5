"""Artifacts: .npz round trip without pickle, erasure made durable."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import SMALL_CONFIGS

from recommender.core.algorithms import ModelConfig
from recommender.core.artifacts import load_model, save_model
from recommender.core.training import train_model


@pytest.mark.parametrize("name", sorted(SMALL_CONFIGS))
def test_round_trip_serves_the_same_recommendations(checkerboard, tmp_path, name):
    model = train_model(checkerboard, SMALL_CONFIGS[name], num_threads=1)
    path = save_model(model, tmp_path / "model.npz")
    loaded = load_model(path)
    assert loaded.config == model.config
    row = loaded.row_from_events(["lesson:b0", "used:feature-b"], kinds=["lesson", "used"])
    for customer_id, customer_row in (("a-customer-1", None), (None, row)):
        expected = model.recommend(customer_id, row=customer_row, n=5)
        actual = loaded.recommend(customer_id, row=customer_row, n=5)
        assert actual.column_ids.tolist() == expected.column_ids.tolist()
        np.testing.assert_allclose(actual.scores, expected.scores, rtol=1e-6)


def test_artifact_holds_no_pickled_objects(checkerboard, tmp_path):
    model = train_model(checkerboard, ModelConfig("als", {"factors": 4}, bm25=True))
    path = save_model(model, tmp_path / "model.npz")
    with np.load(path, allow_pickle=False) as data:
        for key in data.files:
            assert data[key].dtype != object, key
    assert load_model(path).bm25 is not None


def test_removed_customer_is_gone_from_the_saved_artifact(checkerboard, tmp_path):
    model = train_model(checkerboard, SMALL_CONFIGS["als"])
    path = save_model(model, tmp_path / "model.npz")
    model.remove_customer("b-customer-4")
    save_model(model, path)
    with np.load(path, allow_pickle=False) as data:
        assert "b-customer-4" not in data["customer_ids"]
        assert data["user_factors"].shape[0] == data["customer_ids"].shape[0]
    assert not list(tmp_path.glob(".*.tmp"))


def test_unknown_format_version_is_refused(checkerboard, tmp_path):
    model = train_model(checkerboard, SMALL_CONFIGS["item_knn_cosine"])
    path = save_model(model, tmp_path / "model.npz")
    with np.load(path, allow_pickle=False) as data:
        arrays = {key: data[key] for key in data.files}
    arrays["format_version"] = np.array(99)
    np.savez(path, **arrays)
    with pytest.raises(ValueError, match="unsupported artifact format"):
        load_model(path)
