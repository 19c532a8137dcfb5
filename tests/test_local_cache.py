"""The in-process cache in front of the shared one: short-lived, forgettable, no Nones."""

import time

from education.local_cache import LocalCache, local_caches_clear


def test_a_value_is_loaded_once_while_it_lives():
    local, calls = LocalCache(seconds=60), []

    def load():
        calls.append(1)
        return "value"

    assert local.get("k", load) == local.get("k", load) == "value"
    assert len(calls) == 1


def test_none_is_not_kept_so_a_later_row_is_found():
    local, values = LocalCache(seconds=60), iter([None, 7])

    assert local.get("k", lambda: next(values)) is None
    assert local.get("k", lambda: next(values)) == 7


def test_values_expire_and_can_be_forgotten(monkeypatch):
    local = LocalCache(seconds=5)
    local.get("a", lambda: 1)
    local.get("b", lambda: 2)

    local.forget("a")
    assert local.get("a", lambda: 10) == 10
    local_caches_clear()
    assert local.get("b", lambda: 20) == 20
    expiring = LocalCache(seconds=0.01)
    expiring.get("c", lambda: 1)
    time.sleep(0.02)
    assert expiring.get("c", lambda: 2) == 2
