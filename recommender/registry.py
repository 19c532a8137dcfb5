"""The active model of each workspace, loaded once per process and reloaded on change.

Activation (or an erasure that rewrites the artifact) stores a new stamp in the shared
cache; a serving process compares stamps on each request and reloads without a restart.
"""

import threading
from dataclasses import dataclass

from django.core.cache import cache

from education.local_cache import LocalCache
from education.shared_cache import cached
from recommender.core.artifacts import load_model
from recommender.core.serving import TrainedModel
from recommender.freshness import served_local
from recommender.models import ModelStatus, RecommenderModel

# Without a shared cache (local memory per process), other processes re-read the stamp
# from the database at least this often.
_STAMP_SECONDS = 10
# Read on every served request: kept in the process for a second or two as well.
_stamps_local = LocalCache(seconds=2)


@dataclass(frozen=True)
class LoadedModel:
    version: str
    revision: int
    model: TrainedModel


_loaded: dict[int, LoadedModel] = {}
_lock = threading.Lock()


def _stamp_key(workspace_id: int) -> str:
    return f"recommender:active:{workspace_id}"


def active_stamp(workspace_id: int) -> tuple[str, int, str]:
    """(version, revision, artifact path) of the active model; ('', 0, '') if none."""
    return _stamps_local.get(workspace_id, lambda: _active_stamp_shared(workspace_id))


def _active_stamp_shared(workspace_id: int) -> tuple[str, int, str]:
    def load() -> tuple[str, int, str]:
        row = (
            RecommenderModel.objects.filter(workspace_id=workspace_id, status=ModelStatus.ACTIVE)
            .values_list("version", "artifact_revision", "artifact_path")
            .first()
        )
        return tuple(row) if row else ("", 0, "")

    return cached(_stamp_key(workspace_id), load, _STAMP_SECONDS)


def active_model(workspace_id: int) -> LoadedModel | None:
    """The workspace's active model, or None when it has none (cold start for everyone)."""
    version, revision, path = active_stamp(workspace_id)
    if not version:
        _loaded.pop(workspace_id, None)
        return None
    loaded = _loaded.get(workspace_id)
    if loaded is not None and (loaded.version, loaded.revision) == (version, revision):
        return loaded
    with _lock:
        loaded = _loaded.get(workspace_id)
        if loaded is None or (loaded.version, loaded.revision) != (version, revision):
            loaded = LoadedModel(version=version, revision=revision, model=load_model(path))
            _loaded[workspace_id] = loaded
    return loaded


def active_model_changed(workspace_id: int) -> None:
    """Tell every serving process to re-read the active model (after commit)."""
    cache.delete(_stamp_key(workspace_id))
    _stamps_local.forget(workspace_id)
    served_local.forget()
    _loaded.pop(workspace_id, None)
