"""API rate limits: forwarded addresses are believed only behind configured proxies, and the counts
are shared by the server's processes (Redis with REDIS_URL, else files shared by this host's workers)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import caches
from rest_framework.test import APIClient

from tracker.api.throttling import AnonRateThrottle, AuthenticatedUserRateThrottle

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def anon_limit(monkeypatch):
    # On the classes in use (another test may have set DRF's AnonRateThrottle's own copy).
    for throttle in (AnonRateThrottle, AuthenticatedUserRateThrottle):
        monkeypatch.setattr(throttle, "THROTTLE_RATES", {"anon": "2/minute", "user": None})


def _codes(client, n, **headers):
    # The status scale touches no table: throttling is all these requests exercise.
    return [client.get("/api/v1/statuses/", **headers).status_code for _ in range(n)]


def test_a_spoofed_forwarded_for_does_not_reset_the_anonymous_limit(anon_limit):
    client = APIClient()
    codes = [client.get("/api/v1/statuses/", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code for n in range(4)]
    assert codes == [200, 200, 429, 429]


def test_behind_one_proxy_the_address_it_saw_is_counted(anon_limit, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    client = APIClient()
    # The proxy appends the address it saw; whatever the client wrote before it is not believed.
    spoofed = [
        client.get("/api/v1/statuses/", HTTP_X_FORWARDED_FOR=f"6.6.6.{n}, 203.0.113.7").status_code for n in range(3)
    ]
    assert spoofed == [200, 200, 429]
    assert _codes(client, 1, HTTP_X_FORWARDED_FOR="198.51.100.1") == [200]


def test_throttle_counts_live_in_their_own_cache():
    assert set(settings.CACHES) == {"default", "throttle"}
    expected = "RedisCache" if os.environ.get("REDIS_URL") else "FileBasedCache"
    assert type(caches["throttle"]).__name__ == expected


_CLIENT_PROCESS = """
import sys, django
django.setup()
from django.test import Client
client = Client()
print(" ".join(str(client.get("/api/v1/statuses/").status_code) for _ in range(int(sys.argv[1]))))
"""


def _process_codes(n: int, env: dict) -> list[int]:
    result = subprocess.run(
        [sys.executable, "-c", _CLIENT_PROCESS, str(n)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return [int(code) for code in result.stdout.split()]


@pytest.mark.parametrize("backend", ["files", "redis"])
def test_two_processes_share_the_throttle_counts(backend, tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "API_THROTTLE_ANON": "4/minute",
        "THROTTLE_CACHE_DIR": str(tmp_path / "throttle"),
    }
    if backend == "redis":
        if not os.environ.get("REDIS_URL"):
            pytest.skip("REDIS_URL is not set (.ci/run starts a Redis server and sets it)")
        caches["throttle"].clear()
    else:
        env["REDIS_URL"] = ""
    first = _process_codes(3, env)
    second = _process_codes(3, env)
    assert (first, second) == ([200, 200, 200], [200, 429, 429])


def test_with_redis_a_request_is_counted_in_one_round_trip(anon_limit, monkeypatch):
    if type(caches["throttle"]).__name__ != "RedisCache":
        pytest.skip("REDIS_URL is not set (.ci/run starts a Redis server and sets it)")
    from redis.connection import Connection

    sent = []
    send = Connection.send_packed_command

    def counting(self, command, *args, **kwargs):
        sent.append(command)
        return send(self, command, *args, **kwargs)

    caches["throttle"].clear()
    monkeypatch.setattr(Connection, "send_packed_command", counting)
    client = APIClient(REMOTE_ADDR="192.0.2.77")
    responses = [client.get("/api/v1/statuses/") for _ in range(3)]
    assert [r.status_code for r in responses] == [200, 200, 429]
    assert len(sent) == 3  # one pipeline (INCR, EXPIRE) per request
    assert 0 < int(responses[2]["Retry-After"]) <= 61
