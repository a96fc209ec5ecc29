import os

import pytest

from tests import factories
from tests.browser_conftest import browser, corpus, page, screenshot  # noqa: F401 - fixtures for the page tests


@pytest.fixture
def staff_user(db):
    """A reviewer: staff with every tracker permission."""
    from django.contrib.auth.models import Permission

    user = factories.UserFactory(is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="tracker"))
    return user


@pytest.fixture
def superuser(db):
    return factories.UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Cached pages and counts are keyed by the data version, which each test's rolled-back database repeats."""
    from django.core.cache import cache

    from tracker.caching import RECENT

    cache.clear()
    RECENT.clear()
    yield
    cache.clear()
    RECENT.clear()


@pytest.fixture(autouse=True)
def _fresh_reference_cache():
    """Each test's database starts afresh (rolled back), so must the per-process copy of actors and themes."""
    from tracker import reference_cache

    reference_cache.clear()
    yield
    reference_cache.clear()


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Caches may outlive a test (files, Redis): each test starts with empty ones, throttle counts included."""
    from django.core.cache import caches

    for alias in ("default", "throttle"):
        caches[alias].clear()


DATABASE_FIXTURES = frozenset({"db", "transactional_db", "django_db_setup", "live_server"})


def runs_on_postgresql(item) -> bool:
    if item.get_closest_marker("every_database") or item.get_closest_marker("django_db"):
        return True
    return bool(DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())))


def pytest_collection_modifyitems(config, items):
    """The declared markers, applied in one place: `postgres_only` tests are skipped on other databases.

    On PostgreSQL only the tests that use the database run (`make test` ran the others on SQLite
    just before: text extraction, parsing, settings); TEST_EVERYTHING=1 runs them all.
    """
    from django.db import connection

    if connection.vendor == "postgresql":
        if os.environ.get("TEST_EVERYTHING") != "1":
            database_free = [item for item in items if not runs_on_postgresql(item)]
            if database_free:
                config.hook.pytest_deselected(items=database_free)
                items[:] = [item for item in items if runs_on_postgresql(item)]
        return
    skip = pytest.mark.skip(reason=f"needs PostgreSQL (running on {connection.vendor})")
    for item in items:
        if item.get_closest_marker("postgres_only"):
            item.add_marker(skip)
