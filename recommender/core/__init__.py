"""Numeric core of the recommender: matrices, training, evaluation, serving, explanations.

This package imports no Django. ``threads`` is imported first so that the BLAS thread
default is in place before numpy loads OpenBLAS.
"""

from recommender.core import threads  # noqa: F401  (import for its side effect, see above)
