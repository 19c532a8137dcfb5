"""The offline evaluation command's logic: CSV reading and the report."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest

from recommender.evaluation_cli import (
    InteractionsFileError,
    main,
    read_interactions,
    run_evaluation,
)


def write(tmp_path, text: str):
    path = tmp_path / "interactions.csv"
    path.write_text(text)
    return path


def test_empty_timestamps_mean_file_order_and_empty_weights_count_one(tmp_path):
    path = write(tmp_path, "user_id,item_id,timestamp,weight\nu1,a,,\nu1,b,,2.5\nu2,a,,\n")
    interactions = read_interactions(path)
    assert interactions.timestamps is None
    assert interactions.weights.tolist() == [1.0, 2.5, 1.0]
    assert interactions.item_ids.tolist() == ["a", "b", "a"]


def test_missing_timestamp_among_dated_rows_takes_the_previous_one(tmp_path):
    path = write(tmp_path, "user_id,item_id,timestamp,weight\nu,a,10,\nu,b,,\nu,c,2020-01-01,\n")
    timestamps = read_interactions(path).timestamps
    assert timestamps[0] == timestamps[1] == 10.0
    assert timestamps[2] > 1.5e9


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("user,item\nu,a\n", "header must name"),
        ("user_id,item_id,timestamp,weight\nu,a,1,heavy\n", "not a number"),
        ("user_id,item_id,timestamp,weight\nu,a,yesterday,1\n", "neither epoch"),
        ("user_id,item_id,timestamp,weight\n", "no interactions"),
    ],
)
def test_bad_files_get_a_clear_error(tmp_path, text, message):
    with pytest.raises(InteractionsFileError, match=message):
        read_interactions(write(tmp_path, text))


def test_json_report_has_one_default_and_every_algorithm(tmp_path):
    generator = np.random.default_rng(0)
    lines = ["user_id,item_id,timestamp,weight"]
    for user in range(60):
        group = user % 2
        for step, item in enumerate(generator.choice(12, size=8, replace=False)):
            lines.append(f"u{user},item{group}-{item},{step},")
    path = write(tmp_path, "\n".join(lines) + "\n")
    output = io.StringIO()
    report = run_evaluation(path, as_json=True, stdout=output)
    assert json.loads(output.getvalue()) == report
    results = report["results"]
    assert sum(result["is_default"] for result in results) == 1
    names = " ".join(result["name"] for result in results)
    for algorithm in ("popularity", "als", "bpr", "item_knn_cosine", "item_knn_bm25"):
        assert algorithm in names
    for result in results:
        assert set(result) >= {"precision_at_10", "recall_at_10", "ndcg_at_10", "fit_seconds"}
    default = next(result for result in results if result["is_default"])
    random = next(result for result in results if result["name"] == "random")
    assert default["ndcg_at_10"] > random["ndcg_at_10"]
    assert report["evaluated_users"] == 60


def test_command_line_reports_a_missing_file(tmp_path, capsys):
    assert main([str(tmp_path / "absent.csv")]) == 2
    assert "error" in capsys.readouterr().err
