"""Benchmark the recommender core against raw implicit on a synthetic usage matrix.

Builds 100k customers x 2k columns x 2M events, then prints:
- build_usage_matrix time;
- end-to-end training (matrix already built -> TrainedModel) vs a raw
  ``implicit.als.AlternatingLeastSquares(factors=64, iterations=15).fit()`` on the same CSR
  (target <= 1.5x);
- one recommendation with fold-in and filters, p50/p99 (target p99 < 5 ms);
- batch top-10 for 10k customers: ours vs implicit's batch ``recommend`` (ratio).

Run from the repository root: ``.venv/bin/python -m bench.recommender_core_fit``.
"""

from __future__ import annotations

import argparse
import platform
import time

import numpy as np

# numpy is loaded before recommender.core can set OPENBLAS_NUM_THREADS, so main() pins BLAS
# to one thread with threadpoolctl instead; the effect is the same.
from recommender.core import threads
from recommender.core.algorithms import ModelConfig
from recommender.core.matrix import build_usage_matrix
from recommender.core.training import train_model

FACTORS, ITERATIONS = 64, 15


def synthetic_events(n_customers: int, n_lessons: int, n_signals: int, n_events: int, seed=0):
    """Events with a popularity skew and customer segments, shaped like Waypoint's."""
    generator = np.random.default_rng(seed)
    n_columns = n_lessons + n_signals
    columns = np.array(
        [f"lesson:{number}" for number in range(n_lessons)]
        + [
            f"{kind}:feature-{number}"
            for number, kind in zip(
                range(n_signals), np.resize(["used", "error", "ticket"], n_signals), strict=True
            )
        ]
    )
    kinds = np.array(["lesson"] * n_lessons + [key.split(":")[0] for key in columns[n_lessons:]])
    segments = 20
    customer = generator.integers(0, n_customers, n_events)
    # each segment prefers its own slice of columns, on top of a global Zipf popularity
    popularity = 1.0 / np.arange(1, n_columns + 1) ** 0.8
    base = generator.choice(n_columns, size=n_events, p=popularity / popularity.sum())
    shifted = (base + (customer % segments) * (n_columns // segments)) % n_columns
    column = np.where(generator.random(n_events) < 0.7, shifted, base)
    customer_keys = np.char.add("customer-", customer.astype(str))
    now = 1.7e9
    timestamps = now - generator.uniform(0, 90 * 86_400, n_events)
    weights = generator.integers(1, 4, n_events).astype(np.float64)
    return customer_keys, columns[column], kinds[column], weights, timestamps, now


def percentile_ms(samples: list[float], q: float) -> float:
    return float(np.percentile(np.array(samples) * 1000, q))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--lessons", type=int, default=500)
    parser.add_argument("--signals", type=int, default=1_500)
    parser.add_argument("--events", type=int, default=2_000_000)
    parser.add_argument("--threads", type=int, default=0, help="implicit threads (0 = cores)")
    arguments = parser.parse_args()
    threads.limit_blas_threads()
    num_threads = threads.implicit_threads(arguments.threads)
    print(
        f"machine: {platform.machine()}, {num_threads} implicit threads, "
        f"BLAS threads {threads.blas_threads()}"
    )

    customer_keys, column_keys, kinds, weights, timestamps, now = synthetic_events(
        arguments.customers, arguments.lessons, arguments.signals, arguments.events
    )
    started = time.perf_counter()
    usage = build_usage_matrix(
        customer_keys, column_keys, kinds, weights, timestamps, half_life_days=30, now=now
    )
    build_seconds = time.perf_counter() - started
    print(
        f"build_usage_matrix: {arguments.events:,} events -> {usage.shape} "
        f"{usage.matrix.nnz:,} non-zeros in {build_seconds:.2f} s"
    )

    # Raw implicit on the very same CSR, then ours (matrix in, ready-to-serve model out).
    from implicit.als import AlternatingLeastSquares

    config = ModelConfig("als", {"factors": FACTORS, "iterations": ITERATIONS})
    hyper = config.resolved(usage.shape[0]).hyperparameters
    started = time.perf_counter()
    raw = AlternatingLeastSquares(
        factors=FACTORS,
        iterations=ITERATIONS,
        regularization=hyper["regularization"],
        alpha=hyper["alpha"],
        random_state=42,
        num_threads=num_threads,
    )
    raw.fit(usage.matrix, show_progress=False)
    raw_seconds = time.perf_counter() - started
    started = time.perf_counter()
    model = train_model(usage, config, num_threads=num_threads)
    ours_seconds = time.perf_counter() - started
    print(
        f"fit: raw implicit {raw_seconds:.2f} s, ours {ours_seconds:.2f} s, "
        f"ratio {ours_seconds / raw_seconds:.2f}x (target <= 1.5x); "
        f"with matrix build {(ours_seconds + build_seconds) / raw_seconds:.2f}x"
    )

    # One recommendation: fold in a customer's events, allowed lessons, completed excluded.
    generator = np.random.default_rng(1)
    allowed = model.is_lesson & (generator.random(model.n_columns) < 0.9)
    lesson_indices = np.flatnonzero(model.is_lesson)
    samples = []
    for attempt in range(2_000):
        history = generator.choice(model.n_columns, size=30, replace=False)
        completed = generator.choice(lesson_indices, size=5, replace=False)
        started = time.perf_counter()
        row = model.row_from_indices(history, np.ones(history.size))
        model.recommend(row=row, n=10, allowed=allowed, exclude=completed)
        samples.append(time.perf_counter() - started)
        del attempt
    print(
        f"one recommendation with fold-in and filters: p50 {percentile_ms(samples, 50):.3f} ms"
        f", p99 {percentile_ms(samples, 99):.3f} ms (target p99 < 5 ms)"
    )

    # Batch: 10k known customers, lessons only, seen excluded.
    customers = np.arange(min(10_000, model.customer_ids.size))
    started = time.perf_counter()
    model.recommend_batch(customers, n=10, allowed=allowed)
    ours_batch = time.perf_counter() - started
    filter_items = np.flatnonzero(~allowed)
    raw.item_factors = model.item_factors  # same factors, so only the ranking differs
    raw.user_factors = model.user_factors
    started = time.perf_counter()
    raw.recommend(customers, usage.matrix[customers], N=10, filter_items=filter_items)
    raw_batch = time.perf_counter() - started
    print(
        f"batch top-10 for {customers.size:,} customers: ours {ours_batch:.3f} s, implicit "
        f"{raw_batch:.3f} s, implicit/ours {raw_batch / ours_batch:.1f}x faster"
    )


if __name__ == "__main__":
    main()
