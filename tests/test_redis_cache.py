"""config.redis_cache: Django's Redis backend keeping one client per pool, against a real Redis server."""

import os
import threading

import pytest

from config.redis_cache import RedisCache

pytestmark = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set (.ci/run starts a Redis server and sets it)"
)


@pytest.fixture
def redis_cache():
    cache = RedisCache(os.environ["REDIS_URL"], {"KEY_PREFIX": "test-redis-cache"})
    cache.clear()
    yield cache
    cache.clear()


def test_one_client_serves_every_command(redis_cache):
    client = redis_cache._cache.get_client(write=True)
    assert redis_cache._cache.get_client(write=False) is client
    assert redis_cache._cache.get_client("some key", write=True) is client


def test_the_cache_still_works_from_several_threads(redis_cache):
    def work(n):
        for i in range(50):
            redis_cache.set(f"{n}:{i}", {"n": n, "i": i})
            assert redis_cache.get(f"{n}:{i}") == {"n": n, "i": i}

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert redis_cache.get_many([f"{n}:49" for n in range(4)]) == {f"{n}:49": {"n": n, "i": 49} for n in range(4)}
    assert redis_cache.add("fresh", 1) is True
    assert redis_cache.incr("fresh") == 2
    redis_cache.delete("fresh")
    assert redis_cache.get("fresh") is None
