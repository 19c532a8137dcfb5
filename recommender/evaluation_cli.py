"""Offline evaluation of the recommender on any ``user_id,item_id,timestamp,weight`` CSV.

Used by ``manage.py evaluate_recommender`` and runnable without Django::

    python -m recommender.evaluation_cli interactions.csv [--json]

The file is split per user by time (``recommender.core.evaluation.time_split``); the
default model, each alternative algorithm and the popularity and random baselines are
trained on the first part and scored at 10 on the held-out part. Every column is a
candidate item here (the file has no lesson/signal distinction).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TextIO

import numpy as np

from recommender.core import threads
from recommender.core.evaluation import (
    RankingMetrics,
    evaluate_model,
    evaluate_popularity,
    evaluate_random,
    time_split,
)
from recommender.core.matrix import build_usage_matrix
from recommender.core.selection import ALTERNATIVE_CONFIGS, select_model
from recommender.core.training import train_model

K = 10
REQUIRED_COLUMNS = ("user_id", "item_id")


class InteractionsFileError(ValueError):
    """The interactions file cannot be read; the message says where and why."""


@dataclass
class Interactions:
    """Parallel arrays read from an interactions file, in file order."""

    user_ids: np.ndarray
    item_ids: np.ndarray
    timestamps: np.ndarray | None  # None: the file order is the time order
    weights: np.ndarray


def read_interactions(path: str | Path) -> Interactions:
    """Read ``user_id,item_id,timestamp,weight`` (header row required).

    ``timestamp`` may be epoch seconds or ISO 8601, or empty: if every row's is empty, the
    file order is the time order; a row with an empty timestamp among dated rows takes the
    previous row's. An empty or absent ``weight`` counts 1.
    """
    with open(path, newline="", encoding="utf-8-sig") as file:
        reader = csv.reader(file)
        header = [name.strip().lower() for name in next(reader, [])]
        missing = [name for name in REQUIRED_COLUMNS if name not in header]
        if missing:
            raise InteractionsFileError(
                f"{path}: header must name user_id,item_id[,timestamp,weight]; missing {missing}"
            )
        user_column, item_column = header.index("user_id"), header.index("item_id")
        time_column = header.index("timestamp") if "timestamp" in header else None
        weight_column = header.index("weight") if "weight" in header else None
        users, items, raw_times, raw_weights = [], [], [], []
        for line_number, record in enumerate(reader, start=2):
            if not record or not any(field.strip() for field in record):
                continue
            if len(record) < len(header):
                record = record + [""] * (len(header) - len(record))
            user, item = record[user_column].strip(), record[item_column].strip()
            if not user or not item:
                raise InteractionsFileError(f"{path}:{line_number}: empty user_id or item_id")
            users.append(user)
            items.append(item)
            raw_times.append(record[time_column].strip() if time_column is not None else "")
            raw_weights.append(record[weight_column].strip() if weight_column is not None else "")
    if not users:
        raise InteractionsFileError(f"{path}: no interactions")
    return Interactions(
        user_ids=np.array(users),
        item_ids=np.array(items),
        timestamps=_parse_timestamps(raw_times, path),
        weights=_parse_weights(raw_weights, path),
    )


def _parse_timestamps(raw: list[str], path) -> np.ndarray | None:
    if not any(raw):
        return None
    parsed = np.empty(len(raw))
    previous = -np.inf
    for position, text in enumerate(raw):
        if text:
            try:
                previous = float(text)
            except ValueError:
                try:
                    previous = datetime.fromisoformat(text).timestamp()
                except ValueError as error:
                    raise InteractionsFileError(
                        f"{path}:{position + 2}: timestamp {text!r} is neither epoch seconds "
                        "nor ISO 8601"
                    ) from error
        parsed[position] = previous
    return parsed


def _parse_weights(raw: list[str], path) -> np.ndarray:
    weights = np.ones(len(raw))
    for position, text in enumerate(raw):
        if text:
            try:
                weights[position] = float(text)
            except ValueError as error:
                raise InteractionsFileError(
                    f"{path}:{position + 2}: weight {text!r} is not a number"
                ) from error
    if not np.isfinite(weights).all():
        raise InteractionsFileError(f"{path}: weights must be finite numbers")
    return weights


def run_evaluation(
    path: str | Path, *, as_json: bool = False, stdout: TextIO | None = None
) -> dict:
    """Evaluate the default model, the alternatives and the baselines on ``path``.

    Returns the report as a dict (``results``: one entry per model, exactly one with
    ``is_default`` true, plus dataset sizes). If ``stdout`` is given the report is also
    written there, as one JSON object when ``as_json`` else as a table.
    """
    threads.limit_blas_threads()
    started = time.perf_counter()
    interactions = read_interactions(path)
    usage = build_usage_matrix(
        interactions.user_ids,
        interactions.item_ids,
        weights=interactions.weights,
        timestamps=interactions.timestamps,
    )
    split = time_split(usage)
    train, test = split.train.matrix, split.test
    every_item = np.ones(usage.shape[1], dtype=bool)

    results = []
    for name, evaluate in (
        ("popularity", evaluate_popularity),
        ("random", evaluate_random),
    ):
        fit_started = time.perf_counter()
        metrics = evaluate(train, test, k=K)
        results.append(_result(name, metrics, time.perf_counter() - fit_started, False))

    # Each alternative on its own, then the default: automatic selection, which validates
    # on a split of the training part only and is then scored on the same test part.
    alternatives = []
    fitted: dict[str, tuple[RankingMetrics, float]] = {}  # by config JSON
    for config in ALTERNATIVE_CONFIGS:
        fit_started = time.perf_counter()
        model = train_model(split.train, config, is_lesson=every_item)
        fit_seconds = time.perf_counter() - fit_started
        fitted[config.to_json()] = (evaluate_model(model, train, test, k=K), fit_seconds)
        alternatives.append(_result(config.name, *fitted[config.to_json()], False))

    selection = select_model(split.train, is_lesson=every_item, refit=False)
    if selection.config.to_json() not in fitted:
        fit_started = time.perf_counter()
        model = train_model(split.train, selection.config, is_lesson=every_item)
        fit_seconds = time.perf_counter() - fit_started
        fitted[selection.config.to_json()] = (evaluate_model(model, train, test, k=K), fit_seconds)
    metrics, refit_seconds = fitted[selection.config.to_json()]
    default_name = f"default: auto -> {selection.config.name}"
    results.append(_result(default_name, metrics, selection.seconds + refit_seconds, True))
    results.extend(alternatives)

    report = {
        "results": results,
        "selection": [
            {"name": trial.config.name, "validation_ndcg_at_10": round(trial.ndcg, 5)}
            for trial in selection.trials
        ],
        "k": K,
        "interactions": int(interactions.user_ids.size),
        "users": int(usage.shape[0]),
        "items": int(usage.shape[1]),
        "train_pairs": int(train.nnz),
        "test_pairs": int(test.nnz),
        "evaluated_users": int(np.count_nonzero(np.diff(test.indptr))),
        "time_order": "timestamp" if interactions.timestamps is not None else "file order",
        "seconds": round(time.perf_counter() - started, 3),
    }
    if stdout is not None:
        stdout.write(json.dumps(report) + "\n" if as_json else format_table(report))
    return report


def _result(name: str, metrics: RankingMetrics, fit_seconds: float, is_default: bool) -> dict:
    return {
        "name": name,
        "is_default": is_default,
        "precision_at_10": round(metrics.precision, 5),
        "recall_at_10": round(metrics.recall, 5),
        "ndcg_at_10": round(metrics.ndcg, 5),
        "map_at_10": round(metrics.map, 5),
        "coverage_at_10": round(metrics.coverage, 5),
        "fit_seconds": round(fit_seconds, 3),
    }


def format_table(report: dict) -> str:
    """The report as a plain-text table."""
    lines = [
        f"{report['interactions']} interactions, {report['users']} users, "
        f"{report['items']} items; {report['evaluated_users']} users evaluated "
        f"(time order: {report['time_order']})",
        f"{'model':<44} {'P@10':>7} {'R@10':>7} {'NDCG@10':>8} {'fit s':>7}",
    ]
    for result in report["results"]:
        lines.append(
            f"{result['name']:<44} {result['precision_at_10']:>7.4f} "
            f"{result['recall_at_10']:>7.4f} {result['ndcg_at_10']:>8.4f} "
            f"{result['fit_seconds']:>7.2f}"
        )
    lines.append(f"total {report['seconds']:.1f} s")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("interactions", help="CSV file: user_id,item_id,timestamp,weight")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    arguments = parser.parse_args(argv)
    try:
        run_evaluation(arguments.interactions, as_json=arguments.json, stdout=sys.stdout)
    except (OSError, InteractionsFileError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
