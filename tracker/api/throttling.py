"""Rate limits: "anon" for anonymous clients (by address), "user" for authenticated ones (by user).

Both count in the "throttle" cache (settings.CACHES: Redis, or files shared by this host's workers),
so a limit holds across every worker instead of being multiplied by their number. The client's
address is DRF's: REMOTE_ADDR, or X-Forwarded-For only behind REST_FRAMEWORK["NUM_PROXIES"] proxies.
"""

from django.core.cache import caches
from django.utils.connection import ConnectionProxy
from rest_framework import throttling

throttle_cache = ConnectionProxy(caches, "throttle")


class AnonRateThrottle(throttling.AnonRateThrottle):
    cache = throttle_cache


class AuthenticatedUserRateThrottle(throttling.UserRateThrottle):
    """DRF's UserRateThrottle also counts anonymous clients by address, a second counter beside
    AnonRateThrottle's (and a second cache round trip on every anonymous request): this one does not."""

    cache = throttle_cache

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        return super().get_cache_key(request, view)
