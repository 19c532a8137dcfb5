import pytest
from django.core.cache import cache

from education.local_cache import local_caches_clear


def ensure_wagtail_tree() -> None:
    """Recreate what Wagtail's data migrations made, after a transactional test's flush.

    The flush between transactional tests empties every table; permissions come back
    through post_migrate, but the locale, the page tree's root and home, the default site
    and the root collection do not.
    """
    from django.conf import settings
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Collection, Locale, Page, Site

    if (
        Page.objects.filter(depth=2).exists()
        and Locale.objects.exists()
        and Collection.get_first_root_node() is not None
        and Permission.objects.filter(codename="access_admin").exists()
    ):
        return
    # After a flush: content types came back under new ids; forget the cached old ones.
    ContentType.objects.clear_cache()

    locale, _ = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    root = Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", slug="root", locale=locale)
    )
    if not Page.objects.filter(depth=2).exists():
        home = root.add_child(instance=Page(title="Welcome", slug="home", locale=locale))
        Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    # Made by a Wagtail data migration, so post_migrate does not bring it back either.
    admin_type, _ = ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")
    Permission.objects.get_or_create(
        content_type=admin_type,
        codename="access_admin",
        defaults={"name": "Can access Wagtail admin"},
    )


_DATABASE_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences"}


@pytest.fixture(autouse=True)
def _wagtail_tree(request):
    """Every database test starts with Wagtail's root page, locale and site.

    A transactional test (live server, Celery worker) ends with a flush that empties every
    table, including what Wagtail's data migrations made; the next test would find no page
    tree. Requesting the database here first makes the order of set-ups explicit.
    """
    marker = request.node.get_closest_marker("django_db")
    if marker is None and not _DATABASE_FIXTURES & set(request.fixturenames):
        yield
        return
    transactional = (marker is not None and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
    )
    request.getfixturevalue("transactional_db" if transactional else "db")
    ensure_wagtail_tree()
    yield


@pytest.fixture(autouse=True)
def _forget_staging_tables():
    """Ingestion records that a connection has its staging table once the transaction that
    created it commits. A test's transaction is rolled back, taking the table with it, even
    when the test ran its on-commit callbacks (``django_capture_on_commit_callbacks``)."""
    from education.events.writers import _staged_connections

    yield
    _staged_connections.clear()


@pytest.fixture(autouse=True)
def _clear_cache():
    """Key lookups and rate limits are cached; no test sees another's."""
    cache.clear()
    local_caches_clear()
    yield
    cache.clear()
    local_caches_clear()


@pytest.fixture
def workspace(db):
    from tests.factories import WorkspaceFactory

    return WorkspaceFactory(name="Ledgerly")


@pytest.fixture
def other_workspace(db):
    from tests.factories import WorkspaceFactory

    return WorkspaceFactory(name="Other Co")
