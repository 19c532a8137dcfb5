import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_cache():
    """Key lookups and rate limits are cached; no test sees another's."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def workspace(db):
    from tests.factories import WorkspaceFactory

    return WorkspaceFactory(name="Ledgerly")


@pytest.fixture
def other_workspace(db):
    from tests.factories import WorkspaceFactory

    return WorkspaceFactory(name="Other Co")
