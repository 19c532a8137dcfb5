"""Saving and loading trained models as ``.npz`` files, without pickle.

Every entry is a plain numeric or unicode array, so ``numpy.load(allow_pickle=False)`` reads
the file and a tampered artifact cannot run code. Layout (format version 1):

==========================  ============================================================
key                         content
==========================  ============================================================
format_version              int, 1
config_json                 ModelConfig as JSON (algorithm, hyper-parameters, bm25)
weighting_json              kind weights and half-life used to build rows, as JSON
customer_ids, column_ids    sorted unicode id maps
is_lesson                   bool per column
popularity                  float32 per column
user_items_*                training CSR (data, indices, indptr, shape)
user_factors, item_factors  float32 factors (ALS, BPR); absent for item-kNN
similarity_*                item-kNN similarity CSR; absent for ALS, BPR
bm25_length_norm            float32 per column, with bm25_k1 and bm25_b; only if BM25
==========================  ============================================================
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from recommender.core.algorithms import ModelConfig
from recommender.core.matrix import BM25Weighting
from recommender.core.serving import TrainedModel
from recommender.core.threads import limit_blas_threads

FORMAT_VERSION = 1


def save_model(model: TrainedModel, path: str | os.PathLike) -> Path:
    """Write ``model`` to ``path`` atomically (a reader never sees a half-written file)."""
    path = Path(path)
    arrays: dict[str, np.ndarray] = {
        "format_version": np.array(FORMAT_VERSION),
        "config_json": np.array(model.config.to_json()),
        "weighting_json": np.array(
            json.dumps({"kind_weights": model.kind_weights, "half_life_days": model.half_life_days})
        ),
        "customer_ids": np.asarray(model.customer_ids, dtype=str),
        "column_ids": np.asarray(model.column_ids, dtype=str),
        "is_lesson": np.asarray(model.is_lesson, dtype=bool),
        "popularity": np.asarray(model.popularity, dtype=np.float32),
    }
    arrays.update(_csr_arrays("user_items", model.user_items))
    if model.user_factors is not None:
        arrays["user_factors"] = model.user_factors
        arrays["item_factors"] = model.item_factors
    if model.similarity is not None:
        arrays.update(_csr_arrays("similarity", model.similarity))
    if model.bm25 is not None:
        arrays["bm25_length_norm"] = model.bm25.column_length_norm
        arrays["bm25_k1"] = np.array(model.bm25.k1)
        arrays["bm25_b"] = np.array(model.bm25.b)

    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            np.savez(file, **arrays)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def load_model(path: str | os.PathLike) -> TrainedModel:
    """Load a model saved by ``save_model``; pickle is refused."""
    limit_blas_threads()
    with np.load(path, allow_pickle=False) as data:
        version = int(data["format_version"])
        if version != FORMAT_VERSION:
            raise ValueError(f"unsupported artifact format {version} (expected {FORMAT_VERSION})")
        weighting = json.loads(str(data["weighting_json"]))
        bm25 = None
        if "bm25_length_norm" in data:
            bm25 = BM25Weighting(
                k1=float(data["bm25_k1"]),
                b=float(data["bm25_b"]),
                column_length_norm=data["bm25_length_norm"],
            )
        model = TrainedModel(
            config=ModelConfig.from_json(str(data["config_json"])),
            customer_ids=data["customer_ids"],
            column_ids=data["column_ids"],
            is_lesson=data["is_lesson"],
            user_items=_csr_from(data, "user_items"),
            popularity=data["popularity"],
            kind_weights=weighting["kind_weights"],
            half_life_days=weighting["half_life_days"],
            bm25=bm25,
        )
        if "user_factors" in data:
            model.user_factors = data["user_factors"]
            model.item_factors = data["item_factors"]
        if "similarity_data" in data:
            model.similarity = _csr_from(data, "similarity")
    return model


def _csr_arrays(prefix: str, matrix: sp.csr_matrix) -> dict[str, np.ndarray]:
    return {
        f"{prefix}_data": matrix.data,
        f"{prefix}_indices": matrix.indices,
        f"{prefix}_indptr": matrix.indptr,
        f"{prefix}_shape": np.array(matrix.shape, dtype=np.int64),
    }


def _csr_from(data, prefix: str) -> sp.csr_matrix:
    shape = tuple(int(size) for size in data[f"{prefix}_shape"])
    return sp.csr_matrix(
        (data[f"{prefix}_data"], data[f"{prefix}_indices"], data[f"{prefix}_indptr"]),
        shape=shape,
    )
