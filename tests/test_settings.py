"""Settings from the environment: malformed values fail loudly, and production settings pass `check --deploy`."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import caches_from_env, database_from_url, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("TRUE", True), (" yes ", True), ("off", False), ("", False)]
)
def test_env_bool_reads_known_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("TRACKER_TEST_FLAG", raw)
    assert env_bool("TRACKER_TEST_FLAG", not expected) is expected


def test_env_bool_default_when_unset(monkeypatch):
    monkeypatch.delenv("TRACKER_TEST_FLAG", raising=False)
    assert env_bool("TRACKER_TEST_FLAG", True) is True


def test_env_bool_malformed_names_the_variable(monkeypatch):
    monkeypatch.setenv("TRACKER_TEST_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured) as excinfo:
        env_bool("TRACKER_TEST_FLAG")
    assert str(excinfo.value) == (
        "TRACKER_TEST_FLAG='maybe' is not a boolean; use one of 1/0, true/false, yes/no, on/off."
    )


def test_env_int_reads_value_and_default(monkeypatch):
    monkeypatch.setenv("TRACKER_TEST_INT", "42")
    assert env_int("TRACKER_TEST_INT", 7) == 42
    monkeypatch.setenv("TRACKER_TEST_INT", " ")
    assert env_int("TRACKER_TEST_INT", 7) == 7


def test_env_int_malformed_names_the_variable(monkeypatch):
    monkeypatch.setenv("TRACKER_TEST_INT", "12abc")
    with pytest.raises(ImproperlyConfigured) as excinfo:
        env_int("TRACKER_TEST_INT", 1)
    assert str(excinfo.value) == "TRACKER_TEST_INT='12abc' is not an integer."


def test_env_int_below_minimum_names_the_variable(monkeypatch):
    monkeypatch.setenv("TRACKER_TEST_INT", "-5")
    with pytest.raises(ImproperlyConfigured) as excinfo:
        env_int("TRACKER_TEST_INT", 1, minimum=0)
    assert str(excinfo.value) == "TRACKER_TEST_INT=-5 must be at least 0."


def test_env_list_and_str(monkeypatch):
    monkeypatch.setenv("TRACKER_TEST_LIST", " a.example.org, ,b.example.org ")
    assert env_list("TRACKER_TEST_LIST") == ["a.example.org", "b.example.org"]
    monkeypatch.delenv("TRACKER_TEST_LIST")
    assert env_list("TRACKER_TEST_LIST", ["x"]) == ["x"]
    assert env_str("TRACKER_TEST_LIST", "fallback") == "fallback"


def test_database_from_url_sqlite_relative_and_absolute():
    assert database_from_url("sqlite:///db.sqlite3", base_dir=Path("/srv/app")) == {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": "/srv/app/db.sqlite3",
        # Concurrent writers wait for the lock (issue 10 point 4).
        "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"},
    }
    absolute = database_from_url("sqlite:////var/lib/tracker.db", base_dir=Path("/srv/app"))
    assert absolute["NAME"] == "/var/lib/tracker.db"


def test_database_from_url_postgres():
    config = database_from_url("postgres://user:p%40ss@db.internal:6432/tracker?sslmode=require", base_dir=BASE_DIR)
    assert (config["CONN_MAX_AGE"], config["CONN_HEALTH_CHECKS"]) == (600, False)
    assert {key: config[key] for key in ["ENGINE", "NAME", "USER", "PASSWORD", "HOST", "PORT", "OPTIONS"]} == {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "tracker",
        "USER": "user",
        "PASSWORD": "p@ss",
        "HOST": "db.internal",
        "PORT": "6432",
        "OPTIONS": {"sslmode": "require"},
    }


def test_database_connection_age_and_health_checks_are_settings():
    config = database_from_url("postgres://u:p@h/db", base_dir=BASE_DIR, conn_max_age=0, health_checks=True)
    assert (config["CONN_MAX_AGE"], config["CONN_HEALTH_CHECKS"]) == (0, True)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://u:p@h/db", "unsupported scheme 'mysql'"),
        ("sqlite://", "a sqlite URL needs a file path"),
        ("postgres://u:p@localhost:5432/", "a postgres URL needs a database name"),
        ("postgres://u:p@localhost:port/db", "the port is not a number."),
    ],
)
def test_database_from_url_malformed_names_the_variable(url, message):
    with pytest.raises(ImproperlyConfigured) as excinfo:
        database_from_url(url, base_dir=BASE_DIR)
    assert str(excinfo.value).startswith(f"DATABASE_URL={url!r}: {message}")


def _production_env(**extra) -> dict[str, str]:
    # The test settings put DJANGO_* defaults into this process's environment: start from a clean one.
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_") and key != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="tracker.example.org",
        **extra,
    )
    return env


def _manage(*args, env):
    return subprocess.run(  # noqa: S603 - fixed arguments, our own manage.py
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_clean_with_production_environment():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=_production_env())
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


def test_settings_refuse_missing_secret_key_without_debug(tmp_path):
    env = _production_env(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")  # a configured deployment
    del env["DJANGO_SECRET_KEY"]
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off." in result.stderr


def test_manage_py_runs_in_development_mode_when_nothing_is_configured():
    env = _production_env()
    for name in ("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE"):
        del env[name]
    result = _manage("shell", "-c", "from django.conf import settings; print(settings.DEBUG)", env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "True"


def test_settings_refuse_malformed_debug_flag():
    result = _manage("check", env=_production_env(DJANGO_DEBUG="sometimes"))
    assert result.returncode != 0
    assert "DJANGO_DEBUG='sometimes' is not a boolean" in result.stderr


def test_settings_refuse_malformed_database_url():
    result = _manage("check", env=_production_env(DATABASE_URL="postgres://u:p@localhost:5432/"))
    assert result.returncode != 0
    assert "a postgres URL needs a database name" in result.stderr


def test_caches_from_env_redis_or_memory_and_files():
    local = caches_from_env("", throttle_dir=Path("/srv/throttle"))
    assert local["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert (local["throttle"]["BACKEND"], local["throttle"]["LOCATION"]) == (
        "django.core.cache.backends.filebased.FileBasedCache",
        "/srv/throttle",
    )
    shared = caches_from_env("redis://127.0.0.1:6379/2", throttle_dir=Path("/unused"))
    assert {alias: (c["BACKEND"], c["LOCATION"], c["KEY_PREFIX"]) for alias, c in shared.items()} == {
        "default": ("config.redis_cache.RedisCache", "redis://127.0.0.1:6379/2", "tracker"),
        "throttle": ("config.redis_cache.RedisCache", "redis://127.0.0.1:6379/2", "tracker-throttle"),
    }
    with pytest.raises(ImproperlyConfigured, match="REDIS_URL='http://x': use redis://"):
        caches_from_env("http://x", throttle_dir=Path("/unused"))
