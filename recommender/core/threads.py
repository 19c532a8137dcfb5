"""Thread settings for BLAS and implicit.

implicit parallelises ALS over users itself; when OpenBLAS also starts its own thread pool
the two fight over the cores, implicit warns and training runs several times slower. Every
process that trains or serves should therefore pin BLAS to one thread and let implicit use
the cores.
"""

from __future__ import annotations

import os

# Takes effect only if numpy has not been imported yet (OpenBLAS reads it once, at load time);
# limit_blas_threads() covers the case where it already has. setdefault keeps an operator's
# explicit choice.
for _variable in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

from threadpoolctl import threadpool_info, threadpool_limits  # noqa: E402

DEFAULT_BLAS_THREADS = 1


def limit_blas_threads(num_threads: int = DEFAULT_BLAS_THREADS) -> None:
    """Limit every loaded BLAS library (OpenBLAS, MKL, BLIS) to ``num_threads`` threads.

    Safe to call repeatedly; the limit stays in force for the rest of the process.
    """
    threadpool_limits(limits=num_threads, user_api="blas")


def blas_threads() -> int:
    """Return the largest thread count among the loaded BLAS libraries (1 if none loaded)."""
    counts = [api["num_threads"] for api in threadpool_info() if api["user_api"] == "blas"]
    return max(counts, default=1)


def implicit_threads(num_threads: int | None = None) -> int:
    """Return the thread count to hand to implicit's ``num_threads``.

    ``None`` or 0 means one thread per available core, which is implicit's own default.
    """
    if num_threads is None or num_threads <= 0:
        return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 0
    return num_threads
