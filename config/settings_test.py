"""Test settings: production settings (DEBUG off) with the few changes a test run needs."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-used-anywhere-else-0123456789")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("DJANGO_SECURE_COOKIES", "0")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("THROTTLE_CACHE_DIR", os.path.join(os.path.dirname(__file__), "..", "test-artifacts", "throttle"))

from config.settings import *  # noqa: E402,F403
from config.settings import BASE_DIR, DATABASES, STORAGES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# No collectstatic manifest in tests.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}

# SQLite tests run on a file, as a deployment does: concurrency tests need connections from several
# threads on one database (Django's in-memory test database is one shared-cache connection's).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    (BASE_DIR / "test-artifacts").mkdir(exist_ok=True)
    # One file per test process, so that two runs in one checkout do not share (and clobber) it.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "test-artifacts" / f"test-db-{os.getpid()}.sqlite3")}
