"""Typed readers for settings that come from environment variables.

Each reader rejects a malformed value with ImproperlyConfigured naming the
variable, so a typo in production fails at start-up instead of silently
falling back to a default.
"""

import os
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean; use one of 1/0, true/false, yes/no, on/off.")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer.") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={value} must be at least {minimum}.")
    return value


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [part.strip() for part in raw.split(",") if part.strip()]


def database_from_url(
    url: str, *, base_dir, conn_max_age: int = 600, health_checks: bool = False, sqlite_timeout: int = 20
) -> dict:
    """Translate DATABASE_URL into a DATABASES entry (sqlite:///path or postgres://user:pw@host:port/db).

    PostgreSQL connections are kept for conn_max_age seconds. Health checks (a `SELECT 1` round trip
    before each request's first query) are off by default: they were an eighth of an API request's
    time, and without them a connection the server dropped fails one request, then is replaced.
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "sqlite":
        # sqlite:///relative/path or sqlite:////absolute/path
        path = unquote(parts.path)[1:] if parts.path.startswith("/") else unquote(parts.path)
        if not path:
            raise ImproperlyConfigured(
                f"DATABASE_URL={url!r}: a sqlite URL needs a file path, e.g. sqlite:///db.sqlite3."
            )
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(base_dir / path) if not path.startswith("/") else path,
            # Concurrent writers (several gunicorn workers) wait their turn instead of failing with
            # "database is locked": a write transaction takes the lock when it begins (a deferred one
            # could not upgrade its read lock and failed at once), waits up to `timeout` seconds for it,
            # and WAL lets readers go on meanwhile.
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": sqlite_timeout,
                "init_command": "PRAGMA journal_mode=WAL;",
            },
        }
    if scheme in {"postgres", "postgresql"}:
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise ImproperlyConfigured(f"DATABASE_URL={url!r}: a postgres URL needs a database name after the host.")
        try:
            port = parts.port
        except ValueError:
            raise ImproperlyConfigured(f"DATABASE_URL={url!r}: the port is not a number.") from None
        options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(port or ""),
            "CONN_MAX_AGE": conn_max_age,
            "CONN_HEALTH_CHECKS": health_checks,
            "OPTIONS": options,
        }
    raise ImproperlyConfigured(
        f"DATABASE_URL={url!r}: unsupported scheme {scheme!r}; use sqlite:///path or postgres://user:password@host:port/name."
    )


REDIS_CACHE = "config.redis_cache.RedisCache"


def caches_from_env(redis_url: str, *, throttle_dir) -> dict:
    """CACHES: "default" (page and facet counts) and "throttle" (API rate-limit counters).

    With REDIS_URL both live in that Redis server, shared by every worker and host, under their own
    key prefixes. Without it, "default" is each process's memory and "throttle" a folder of files
    shared by the workers of this host: rate limits must count every worker's requests together.
    """
    if redis_url:
        if urlsplit(redis_url).scheme not in {"redis", "rediss", "unix"}:
            raise ImproperlyConfigured(
                f"REDIS_URL={redis_url!r}: use redis://host:port/db, rediss://... (TLS) or unix:///path/to/socket."
            )
        return {
            "default": {"BACKEND": REDIS_CACHE, "LOCATION": redis_url, "KEY_PREFIX": "tracker"},
            "throttle": {"BACKEND": REDIS_CACHE, "LOCATION": redis_url, "KEY_PREFIX": "tracker-throttle"},
        }
    return {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "throttle": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(throttle_dir),
            # One file per client address or user in the window; culling (a directory walk) only beyond this.
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        },
    }
