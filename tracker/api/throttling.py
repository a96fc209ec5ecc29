"""Rate limits: "anon" for anonymous clients (by address), "user" for authenticated ones (by user).

Both count in the "throttle" cache (settings.CACHES: Redis, or files shared by this host's workers),
so a limit holds across every worker instead of being multiplied by their number. The client's
address is DRF's: REMOTE_ADDR, or X-Forwarded-For only behind REST_FRAMEWORK["NUM_PROXIES"] proxies.

With Redis a request is counted in one round trip: a counter per client and fixed window (INCR and
EXPIRE in one pipeline) instead of DRF's list of request times, read and written back (GET, then
SET: two round trips, 5-10 ms each when the cores are busy, most of a cached API page's time). A
fixed window lets a client make up to twice its rate across a window boundary, never more; DRF's
sliding log stays in use with the file cache.
"""

from django.core.cache import caches
from django.utils.connection import ConnectionProxy
from rest_framework import throttling

throttle_cache = ConnectionProxy(caches, "throttle")


def _redis_client(cache, key: str):
    """The redis-py client behind Django's RedisCache for `key`, or None for any other backend."""
    backend = getattr(cache, "_cache", None)  # django.core.cache.backends.redis.RedisCacheClient
    get_client = getattr(backend, "get_client", None)
    return get_client(key, write=True) if get_client is not None else None


class OneRoundTripMixin:
    _window_end = None

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        window = int(self.now // self.duration)
        key = self.cache.make_and_validate_key(f"{self.key}:{window}")
        client = _redis_client(self.cache, key)
        if client is None:
            return super().allow_request(request, view)
        pipeline = client.pipeline(transaction=False)
        pipeline.incr(key)
        pipeline.expire(key, int(self.duration) + 1)
        count, _ = pipeline.execute()
        self._window_end = (window + 1) * self.duration
        return count <= self.num_requests

    def wait(self):
        if self._window_end is not None:
            return max(0.0, self._window_end - self.now)
        return super().wait()


class AnonRateThrottle(OneRoundTripMixin, throttling.AnonRateThrottle):
    cache = throttle_cache


class AuthenticatedUserRateThrottle(OneRoundTripMixin, throttling.UserRateThrottle):
    """DRF's UserRateThrottle also counts anonymous clients by address, a second counter beside
    AnonRateThrottle's (and a second cache round trip on every anonymous request): this one does not."""

    cache = throttle_cache

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        return super().get_cache_key(request, view)
